package dev.slipway.platform.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of every error answer: what went wrong and, for bad input, which field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String message, String field) {}

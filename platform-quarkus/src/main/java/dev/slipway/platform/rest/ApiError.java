package dev.slipway.platform.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of every error answer: what went wrong and, for bad input, which field; for an
 * unexpected error, the correlation id under which the detail was logged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(
    int status,
    String message,
    String field,
    @JsonProperty("correlation_id") String correlationId) {

  public ApiError(int status, String message, String field) {
    this(status, message, field, null);
  }
}

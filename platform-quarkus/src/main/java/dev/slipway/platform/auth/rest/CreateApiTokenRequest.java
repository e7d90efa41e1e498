package dev.slipway.platform.auth.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api-tokens}. */
public record CreateApiTokenRequest(
    @NotBlank
        @Size(max = 64)
        @Pattern(
            regexp = "[A-Za-z0-9][A-Za-z0-9 ._@-]*",
            message = "must be letters, digits, spaces, '.', '_', '@' or '-'")
        String name,
    @NotNull
        @Pattern(regexp = "viewer|developer|admin", message = "must be viewer, developer or admin")
        String role) {}

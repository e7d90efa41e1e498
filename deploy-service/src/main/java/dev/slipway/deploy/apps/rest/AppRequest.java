package dev.slipway.deploy.apps.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /apps}: an app outside any pipeline, or coupled to one by hand. */
@Schema(name = "AppRequest")
public record AppRequest(
    @Schema(example = "shop-staging")
        @NotBlank
        @Pattern(
            regexp = "[a-z][a-z0-9-]{0,62}",
            message =
                "must start with a letter and hold only lower-case letters, digits and dashes")
        String name,
    @Schema(description = "pipeline id, optional") UUID pipeline,
    @Schema(enumeration = {"review", "staging", "production"})
        @Pattern(
            regexp = "review|staging|production",
            message = "must be review, staging or production")
        String stage) {}

package dev.slipway.build.builds.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /builds}: build a branch, tag or commit of a pipeline's repository by hand. */
@Schema(name = "BuildRequest")
public record BuildRequest(
    @Schema(description = "pipeline id or name", example = "shop") @NotBlank @Size(max = 200)
        String pipeline,
    @Schema(
            description = "branch, tag or full commit SHA; default: the pipeline's branch",
            example = "main")
        @Size(max = 255)
        @Pattern(regexp = "[A-Za-z0-9._/+-]+", message = "must be a branch, tag or commit SHA")
        String ref) {}

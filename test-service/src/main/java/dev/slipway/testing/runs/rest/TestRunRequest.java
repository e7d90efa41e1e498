package dev.slipway.testing.runs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /pipelines/{id}/test-runs}: run the tests of a succeeded build again. */
@Schema(name = "TestRunRequest", description = "exactly one of build_id and commit_sha")
public record TestRunRequest(
    @Schema(description = "a succeeded build of the pipeline")
        @JsonProperty("build_id")
        @Size(max = 200)
        String buildId,
    @Schema(
            description = "a commit: its latest succeeded build is tested",
            example = "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4")
        @JsonProperty("commit_sha")
        @Pattern(regexp = "[0-9a-f]{40}", message = "must be a full 40-character commit SHA")
        String commitSha) {}

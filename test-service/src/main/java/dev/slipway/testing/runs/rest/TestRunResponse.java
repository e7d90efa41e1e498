package dev.slipway.testing.runs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.testing.runs.TestRun;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A test run as the API shows it. */
@Schema(name = "TestRun")
public record TestRunResponse(
    UUID id,
    @JsonProperty("pipeline_id") UUID pipelineId,
    @Schema(description = "counts runs per pipeline from 1", example = "7") int number,
    @JsonProperty("build_id") String buildId,
    @JsonProperty("commit_sha") String commitSha,
    String branch,
    @JsonProperty("pr_number") Integer prNumber,
    boolean fork,
    @JsonProperty("artifact_digest") String artifactDigest,
    @JsonProperty("source_bundle_digest") String sourceBundleDigest,
    @Schema(enumeration = {"automatic", "manual"}) String trigger,
    @JsonProperty("requested_by") String requestedBy,
    @Schema(
            example = "succeeded",
            enumeration = {
              "pending",
              "creating",
              "building",
              "running",
              "succeeded",
              "failed",
              "errored",
              "cancelled"
            })
        String status,
    @Schema(description = "why the run did not succeed") String message,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("started_at") Instant startedAt,
    @JsonProperty("finished_at") Instant finishedAt,
    @Schema(description = "test cases by outcome; null until the run ends") Counts counts) {

  /** Test cases by outcome across every node. */
  @Schema(name = "TestRunCounts")
  public record Counts(int passed, int failed, int skipped) {}

  static TestRunResponse of(TestRun r) {
    return new TestRunResponse(
        r.id(),
        r.pipelineId(),
        r.number(),
        r.buildId(),
        r.commitSha(),
        r.branch(),
        r.prNumber(),
        r.fork(),
        r.artifactDigest(),
        r.sourceBundleDigest(),
        r.trigger(),
        r.requestedBy(),
        r.phase().wireName(),
        r.message(),
        r.createdAt(),
        r.startedAt(),
        r.finishedAt(),
        r.counts() == null
            ? null
            : new Counts(r.counts().passed(), r.counts().failed(), r.counts().skipped()));
  }
}

package dev.slipway.events.build;

import static dev.slipway.events.PayloadChecks.digest;
import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.sha;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;
import java.time.Instant;

/**
 * A build ended: when it succeeded, {@code artifactDigest} names the immutable artifact every later
 * release of this commit reuses; when it failed, {@code error} says why (without secrets).
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildFinished(
    String pipelineId,
    String buildId,
    String commitSha,
    String branch,
    Integer prNumber,
    @JsonProperty(required = true) boolean fork,
    BuildStatus status,
    String artifactDigest,
    String sourceBundleDigest,
    String error,
    Instant finishedAt)
    implements EventPayload {

  public BuildFinished {
    text(pipelineId, "pipelineId");
    text(buildId, "buildId");
    sha(commitSha, "commitSha");
    text(branch, "branch");
    positive(prNumber, "prNumber", true);
    present(status, "status");
    digest(artifactDigest, "artifactDigest", true);
    digest(sourceBundleDigest, "sourceBundleDigest", true);
    present(finishedAt, "finishedAt");
  }

  @Override
  public String subjectId() {
    return buildId;
  }
}

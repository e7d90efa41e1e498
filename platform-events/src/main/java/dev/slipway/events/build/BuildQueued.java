package dev.slipway.events.build;

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
 * A build was accepted for a commit and waits for an executor. {@code prNumber} is null for branch
 * builds.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildQueued(
    String pipelineId,
    String buildId,
    String commitSha,
    String branch,
    Integer prNumber,
    @JsonProperty(required = true) boolean fork,
    Instant queuedAt)
    implements EventPayload {

  public BuildQueued {
    text(pipelineId, "pipelineId");
    text(buildId, "buildId");
    sha(commitSha, "commitSha");
    text(branch, "branch");
    positive(prNumber, "prNumber", true);
    present(queuedAt, "queuedAt");
  }

  @Override
  public String subjectId() {
    return buildId;
  }
}

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

/** A build began running on an executor. {@code prNumber} is null for branch builds. */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildStarted(
    String pipelineId,
    String buildId,
    String commitSha,
    String branch,
    Integer prNumber,
    @JsonProperty(required = true) boolean fork,
    Instant startedAt)
    implements EventPayload {

  public BuildStarted {
    text(pipelineId, "pipelineId");
    text(buildId, "buildId");
    sha(commitSha, "commitSha");
    text(branch, "branch");
    positive(prNumber, "prNumber", true);
    present(startedAt, "startedAt");
  }

  @Override
  public String subjectId() {
    return buildId;
  }
}

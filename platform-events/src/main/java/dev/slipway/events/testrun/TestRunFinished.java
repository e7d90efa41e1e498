package dev.slipway.events.testrun;

import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.sha;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A test run ended; auto-deploy and wait-for-CI decide on its terminal {@code status}, and {@code
 * message} explains failures.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestRunFinished(
    String pipelineId,
    String testRunId,
    @JsonProperty(required = true) int number,
    String buildId,
    String commitSha,
    String branch,
    TestRunStatus status,
    String message)
    implements TestRunEvent {

  public TestRunFinished {
    text(pipelineId, "pipelineId");
    text(testRunId, "testRunId");
    positive(number, "number", false);
    text(buildId, "buildId");
    sha(commitSha, "commitSha");
    text(branch, "branch");
    present(status, "status");
  }

  @Override
  public String subjectId() {
    return testRunId;
  }
}

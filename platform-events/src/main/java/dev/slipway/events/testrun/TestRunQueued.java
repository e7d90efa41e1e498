package dev.slipway.events.testrun;

import static dev.slipway.events.PayloadChecks.digest;
import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.sha;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A test run was created for a build's artifact and waits for its nodes; {@code number} counts runs
 * per pipeline, like Heroku CI's.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestRunQueued(
    String pipelineId,
    String testRunId,
    @JsonProperty(required = true) int number,
    String buildId,
    String commitSha,
    String branch,
    TestRunStatus status,
    String message,
    String artifactDigest,
    String testSuiteUri)
    implements TestRunEvent {

  /** Without the test suite's URI. */
  public TestRunQueued(
      String pipelineId,
      String testRunId,
      int number,
      String buildId,
      String commitSha,
      String branch,
      TestRunStatus status,
      String message,
      String artifactDigest) {
    this(
        pipelineId,
        testRunId,
        number,
        buildId,
        commitSha,
        branch,
        status,
        message,
        artifactDigest,
        null);
  }

  /** Without the artifact digest. */
  public TestRunQueued(
      String pipelineId,
      String testRunId,
      int number,
      String buildId,
      String commitSha,
      String branch,
      TestRunStatus status,
      String message) {
    this(pipelineId, testRunId, number, buildId, commitSha, branch, status, message, null, null);
  }

  public TestRunQueued {
    text(pipelineId, "pipelineId");
    text(testRunId, "testRunId");
    positive(number, "number", false);
    text(buildId, "buildId");
    sha(commitSha, "commitSha");
    text(branch, "branch");
    present(status, "status");
    digest(artifactDigest, "artifactDigest", true);
  }

  @Override
  public String subjectId() {
    return testRunId;
  }
}

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
    String message,
    String artifactDigest,
    Counts counts,
    String testSuiteUri)
    implements TestRunEvent {

  /** Without the test suite's URI. */
  public TestRunFinished(
      String pipelineId,
      String testRunId,
      int number,
      String buildId,
      String commitSha,
      String branch,
      TestRunStatus status,
      String message,
      String artifactDigest,
      Counts counts) {
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
        counts,
        null);
  }

  /** Without the artifact digest and counts. */
  public TestRunFinished(
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

  /** How many test cases passed, failed and were skipped across every node. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Counts(
      @JsonProperty(required = true) int passed,
      @JsonProperty(required = true) int failed,
      @JsonProperty(required = true) int skipped) {}

  public TestRunFinished {
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

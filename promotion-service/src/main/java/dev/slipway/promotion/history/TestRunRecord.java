package dev.slipway.promotion.history;

import dev.slipway.events.testrun.TestRunStatus;
import java.time.Instant;

/**
 * The latest known state of a test run; {@code status} is one of Heroku CI's ({@code pending} …
 * {@code succeeded}, {@code failed}, {@code errored}, {@code cancelled}).
 */
public record TestRunRecord(
    String testRunId,
    String pipelineId,
    Integer number,
    String buildId,
    String commitSha,
    String branch,
    String status,
    String message,
    Instant updatedAt) {

  public boolean succeeded() {
    return TestRunStatus.SUCCEEDED.name().equalsIgnoreCase(status);
  }
}

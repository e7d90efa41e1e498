package dev.slipway.promotion.history;

import java.time.Instant;

/**
 * A release of an app as the release events described it; {@code status} is {@code pending}, {@code
 * succeeded} or {@code failed}, and the timestamps are null until the matching event arrived.
 */
public record ReleaseRecord(
    String releaseId,
    String pipelineId,
    String appName,
    int version,
    String artifactDigest,
    String status,
    String description,
    String cause,
    Instant createdAt,
    Instant finishedAt) {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String ROLLBACK = "rollback";

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  public boolean failed() {
    return FAILED.equals(status);
  }

  public boolean isRollback() {
    return ROLLBACK.equals(cause);
  }
}

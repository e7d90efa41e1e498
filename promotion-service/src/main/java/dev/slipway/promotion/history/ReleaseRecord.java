package dev.slipway.promotion.history;

import dev.slipway.events.release.ReleaseStatus;
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

  public static final String ROLLBACK = "rollback";

  public boolean succeeded() {
    return ReleaseStatus.SUCCEEDED.name().equalsIgnoreCase(status);
  }

  public boolean failed() {
    return ReleaseStatus.FAILED.name().equalsIgnoreCase(status);
  }

  public boolean isRollback() {
    return ROLLBACK.equals(cause);
  }
}

package dev.slipway.promotion.history;

import dev.slipway.events.build.BuildStatus;
import java.time.Instant;

/**
 * A build as the build events described it; {@code status} is {@code queued}, {@code started},
 * {@code pending}, {@code succeeded} or {@code failed}, and fields stay null until an event
 * carrying them arrived.
 */
public record BuildRecord(
    String buildId,
    String pipelineId,
    String commitSha,
    String branch,
    Integer prNumber,
    Boolean fork,
    String status,
    String artifactDigest,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt) {

  public boolean succeeded() {
    return BuildStatus.SUCCEEDED.name().equalsIgnoreCase(status);
  }
}

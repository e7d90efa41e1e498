package dev.slipway.promotion.promotions;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A promotion: which release of which app it ships (by artifact and commit), who asked, and how far
 * it got ({@code requestedAt} is set once every gate passed).
 */
public record Promotion(
    UUID id,
    UUID pipelineId,
    String sourceApp,
    String sourceReleaseId,
    int sourceVersion,
    String artifactDigest,
    String commitSha,
    PromotionStatus status,
    String requestedBy,
    OffsetDateTime createdAt,
    OffsetDateTime requestedAt,
    OffsetDateTime completedAt) {

  /** Still pending and not yet requested: its gates decide whether it ships. */
  public boolean awaitingGates() {
    return status == PromotionStatus.PENDING && requestedAt == null;
  }
}

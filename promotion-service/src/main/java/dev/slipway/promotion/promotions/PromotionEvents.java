package dev.slipway.promotion.promotions;

import dev.slipway.events.promotion.PromotionCompleted;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.promotion.PromotionTargetStatus;
import java.util.List;

/** Maps promotions to the events they publish: requested (gates passed) and completed. */
final class PromotionEvents {

  private PromotionEvents() {}

  /** Every gate passed: the deploy-service ships the artifact to {@code targets}. */
  static PromotionRequested requested(Promotion p, List<String> targets) {
    return new PromotionRequested(
        p.pipelineId().toString(),
        p.id().toString(),
        p.sourceApp(),
        p.sourceReleaseId(),
        p.artifactDigest(),
        targets);
  }

  /** Every target ended: each with its outcome. */
  static PromotionCompleted completed(Promotion p, List<PromotionTarget> targets) {
    return new PromotionCompleted(
        p.pipelineId().toString(),
        p.id().toString(),
        dev.slipway.events.promotion.PromotionStatus.COMPLETED,
        targets.stream()
            .map(
                t ->
                    new PromotionCompleted.Target(
                        t.app(), PromotionTargetStatus.valueOf(t.status().name()), t.error()))
            .toList());
  }
}

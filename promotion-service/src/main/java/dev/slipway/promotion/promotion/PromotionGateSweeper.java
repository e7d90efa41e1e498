package dev.slipway.promotion.promotion;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gates can turn green without anyone touching the promotion (a test run finishes, a release
 * succeeds): waiting promotions are re-evaluated periodically.
 */
@ApplicationScoped
public class PromotionGateSweeper {

  private final Promotions promotions;

  public PromotionGateSweeper(Promotions promotions) {
    this.promotions = promotions;
  }

  @Scheduled(
      every = "${slipway.promotions.gate-sweep:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    return promotions.reevaluateAllWaiting();
  }
}

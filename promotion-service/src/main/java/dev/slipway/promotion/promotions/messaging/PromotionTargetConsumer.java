package dev.slipway.promotion.promotions.messaging;

import dev.slipway.events.promotion.PromotionTargetFinished;
import dev.slipway.platform.inbox.IdempotentConsumer;
import dev.slipway.promotion.promotions.Promotions;
import dev.slipway.promotion.promotions.TargetStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Completes promotions from the deploy-service's {@code promotion.target.finished} events. */
@ApplicationScoped
public class PromotionTargetConsumer {

  private final IdempotentConsumer consumer;
  private final Promotions promotions;

  public PromotionTargetConsumer(IdempotentConsumer consumer, Promotions promotions) {
    this.consumer = consumer;
    this.promotions = promotions;
  }

  @Incoming("promotions")
  public Uni<Void> onPromotionEvent(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(
        record,
        (session, event, payload) -> {
          // The other types on this topic are our own promotion.requested / completed.
          if (!(payload instanceof PromotionTargetFinished finished)) {
            return Uni.createFrom().voidItem();
          }
          return promotions.targetFinished(
              session,
              UUID.fromString(finished.promotionId()),
              finished.targetApp(),
              TargetStatus.of(finished.status().name()),
              finished.releaseId(),
              finished.error());
        });
  }
}

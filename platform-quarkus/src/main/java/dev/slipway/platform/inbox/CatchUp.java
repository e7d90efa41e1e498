package dev.slipway.platform.inbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Tells whether this instance has read everything on a channel it consumes, so that an API
 * answering from a projection can say "catching up, retry" (503) instead of "does not exist" while
 * the service is behind, after a start or a restart.
 */
@ApplicationScoped
public class CatchUp {

  private static final Logger LOG = Logger.getLogger(CatchUp.class);
  private static final Duration ASK = Duration.ofSeconds(2);

  private final KafkaClientService kafka;

  public CatchUp(KafkaClientService kafka) {
    this.kafka = kafka;
  }

  /**
   * Whether the consumer of {@code channel} has read up to the end of every partition it holds;
   * true when it cannot tell (no such consumer, or Kafka does not answer), so that a broken check
   * never hides a real "not found".
   */
  public Uni<Boolean> caughtUp(String channel) {
    KafkaConsumer<Object, Object> consumer;
    try {
      consumer = kafka.getConsumer(channel);
    } catch (RuntimeException e) {
      consumer = null;
    }
    if (consumer == null) {
      return Uni.createFrom().item(true);
    }
    // The answer comes on Kafka's polling thread; a caller inside a Hibernate Reactive session
    // must go on where it was, on its Vert.x context.
    Context caller = Vertx.currentContext();
    Uni<Boolean> answer =
        consumer
            .runOnPollingThread(
                c -> {
                  Set<TopicPartition> assigned = c.assignment();
                  Map<TopicPartition, Long> end = c.endOffsets(assigned, ASK);
                  // The position, not the committed offset: commits lag processing by seconds, and
                  // "retry" for that long after every change would hide real "not found" answers. A
                  // record fetched but not yet processed can still answer "not found": clients
                  // retry.
                  Map<TopicPartition, Long> positions = new HashMap<>();
                  for (TopicPartition tp : assigned) {
                    positions.put(tp, c.position(tp, ASK));
                  }
                  return ConsumerLag.caughtUp(end, positions);
                })
            .onFailure()
            .recoverWithItem(
                e -> {
                  LOG.debugf(e, "could not tell whether channel %s has caught up", channel);
                  return true;
                });
    return caller == null ? answer : answer.emitOn(task -> caller.runOnContext(x -> task.run()));
  }
}

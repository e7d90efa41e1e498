package dev.slipway.systemtests;

import dev.slipway.platform.inbox.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A consumer application of the pipelines topic that writes down every event it applies. */
@ApplicationScoped
public class PipelineEventObserver {

  private final IdempotentConsumer consumer;

  public PipelineEventObserver(IdempotentConsumer consumer) {
    this.consumer = consumer;
  }

  @Incoming("pipelines")
  public Uni<Void> onPipelineEvent(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(
        record,
        (session, event, payload) ->
            session
                .createNativeQuery(
                    "INSERT INTO system_tests.received_event (event_id, event_type, pipeline_id)"
                        + " VALUES (?1, ?2, ?3)")
                .setParameter(1, event.id())
                .setParameter(2, event.type())
                .setParameter(3, payload.pipelineId())
                .executeUpdate()
                .replaceWithVoid());
  }
}

package dev.slipway.build.pipeline.messaging;

import dev.slipway.build.pipeline.KnownPipelines;
import dev.slipway.events.pipeline.PipelineDeleted;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.inbox.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the pipeline projection current from the compacted pipelines topic. */
@ApplicationScoped
public class PipelineEventConsumer {

  private final IdempotentConsumer consumer;
  private final KnownPipelines pipelines;

  public PipelineEventConsumer(IdempotentConsumer consumer, KnownPipelines pipelines) {
    this.consumer = consumer;
    this.pipelines = pipelines;
  }

  @Incoming("pipelines")
  public Uni<Void> onPipelineEvent(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(
        record,
        (session, event, payload) -> {
          if (payload instanceof PipelineSnapshot snapshot) {
            return pipelines.apply(session, snapshot);
          }
          if (payload instanceof PipelineDeleted deleted) {
            return pipelines.delete(session, deleted.pipelineId());
          }
          return Uni.createFrom().voidItem();
        });
  }
}

package dev.slipway.testing.runs.messaging;

import dev.slipway.platform.inbox.IdempotentConsumer;
import dev.slipway.platform.pipeline.PipelineDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the pipeline projection (forge, token, test config vars) current from its topic. */
@ApplicationScoped
public class PipelineEventConsumer {

  private final IdempotentConsumer consumer;
  private final PipelineDirectory pipelines;

  public PipelineEventConsumer(IdempotentConsumer consumer, PipelineDirectory pipelines) {
    this.consumer = consumer;
    this.pipelines = pipelines;
  }

  @Incoming("pipelines")
  public Uni<Void> onPipelineEvent(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(record, (session, event, payload) -> pipelines.apply(session, payload));
  }
}

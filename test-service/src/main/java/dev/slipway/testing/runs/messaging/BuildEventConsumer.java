package dev.slipway.testing.runs.messaging;

import dev.slipway.events.build.BuildFinished;
import dev.slipway.platform.inbox.IdempotentConsumer;
import dev.slipway.testing.runs.TestRuns;
import dev.slipway.testing.runs.runner.TestRunWorkers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Queues a test run for every succeeded build announced on the builds topic. */
@ApplicationScoped
public class BuildEventConsumer {

  private final IdempotentConsumer consumer;
  private final TestRuns runs;
  private final TestRunWorkers workers;

  public BuildEventConsumer(IdempotentConsumer consumer, TestRuns runs, TestRunWorkers workers) {
    this.consumer = consumer;
    this.runs = runs;
    this.workers = workers;
  }

  @Incoming("builds")
  public Uni<Void> onBuildEvent(ConsumerRecord<String, byte[]> record) {
    boolean[] queued = {false};
    return consumer
        .consume(
            record,
            (session, event, payload) ->
                payload instanceof BuildFinished finished
                    ? runs.onBuildFinished(session, finished)
                        .invoke(run -> queued[0] = run.isPresent())
                        .replaceWithVoid()
                    : Uni.createFrom().voidItem())
        .invoke(
            () -> {
              if (queued[0]) {
                workers.wake();
              }
            });
  }
}

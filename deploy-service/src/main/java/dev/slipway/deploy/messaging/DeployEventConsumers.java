package dev.slipway.deploy.messaging;

import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.autodeploy.AutoDeploy;
import dev.slipway.deploy.promotion.PromotionTargets;
import dev.slipway.deploy.releases.runner.ReleaseWorkers;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.platform.inbox.IdempotentConsumer;
import dev.slipway.platform.pipeline.PipelineDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The deploy-service's inputs: pipelines, builds, test runs and promotions, each idempotent. */
@ApplicationScoped
public class DeployEventConsumers {

  private final IdempotentConsumer consumer;
  private final PipelineDirectory pipelines;
  private final Apps apps;
  private final AutoDeploy autoDeploy;
  private final PromotionTargets promotions;
  private final ReleaseWorkers workers;

  public DeployEventConsumers(
      IdempotentConsumer consumer,
      PipelineDirectory pipelines,
      Apps apps,
      AutoDeploy autoDeploy,
      PromotionTargets promotions,
      ReleaseWorkers workers) {
    this.consumer = consumer;
    this.pipelines = pipelines;
    this.apps = apps;
    this.autoDeploy = autoDeploy;
    this.promotions = promotions;
    this.workers = workers;
  }

  @Incoming("pipelines")
  public Uni<Void> onPipeline(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(
        record,
        (session, event, payload) ->
            pipelines
                .apply(session, payload)
                .flatMap(
                    v ->
                        payload instanceof PipelineSnapshot p
                            ? apps.ensureCoupled(session, p)
                            : Uni.createFrom().voidItem()));
  }

  @Incoming("builds")
  public Uni<Void> onBuild(ConsumerRecord<String, byte[]> record) {
    return consumer
        .consume(
            record,
            (session, event, payload) ->
                payload instanceof BuildFinished b
                    ? autoDeploy.onBuildFinished(session, b)
                    : Uni.createFrom().voidItem())
        .invoke(workers::wake);
  }

  @Incoming("testruns")
  public Uni<Void> onTestRun(ConsumerRecord<String, byte[]> record) {
    return consumer
        .consume(
            record,
            (session, event, payload) ->
                payload instanceof TestRunFinished t
                    ? autoDeploy.onTestRunFinished(session, t)
                    : Uni.createFrom().voidItem())
        .invoke(workers::wake);
  }

  @Incoming("promotions")
  public Uni<Void> onPromotion(ConsumerRecord<String, byte[]> record) {
    return consumer
        .consume(
            record,
            (session, event, payload) ->
                payload instanceof PromotionRequested p
                    ? promotions.onRequested(session, p)
                    : Uni.createFrom().voidItem())
        .invoke(workers::wake);
  }
}

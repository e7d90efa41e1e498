package dev.slipway.deploy.messaging;

import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.artifacts.Artifacts;
import dev.slipway.deploy.autodeploy.AutoDeploy;
import dev.slipway.deploy.promotion.PromotionTargets;
import dev.slipway.deploy.releases.runner.ReleaseWorkers;
import dev.slipway.deploy.reviewapps.ReviewApps;
import dev.slipway.deploy.reviewapps.runner.ReviewAppWorker;
import dev.slipway.events.EventType;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.platform.inbox.IdempotentConsumer;
import dev.slipway.platform.pipeline.PipelineDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
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
  private final Artifacts artifacts;
  private final ReviewApps reviewApps;
  private final ReviewAppWorker reviewAppWorker;

  public DeployEventConsumers(
      IdempotentConsumer consumer,
      PipelineDirectory pipelines,
      Apps apps,
      AutoDeploy autoDeploy,
      PromotionTargets promotions,
      ReleaseWorkers workers,
      Artifacts artifacts,
      ReviewApps reviewApps,
      ReviewAppWorker reviewAppWorker) {
    this.consumer = consumer;
    this.pipelines = pipelines;
    this.apps = apps;
    this.autoDeploy = autoDeploy;
    this.promotions = promotions;
    this.workers = workers;
    this.artifacts = artifacts;
    this.reviewApps = reviewApps;
    this.reviewAppWorker = reviewAppWorker;
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
                    ? autoDeploy
                        .onBuildFinished(session, b)
                        .flatMap(v -> reviewApps.onBuild(session, b))
                    : Uni.createFrom().voidItem())
        .invoke(this::wake);
  }

  @Incoming("testruns")
  public Uni<Void> onTestRun(ConsumerRecord<String, byte[]> record) {
    return consumer
        .consume(
            record,
            (session, event, payload) ->
                payload instanceof TestRunFinished t
                    ? testRunFinished(session, t)
                    : Uni.createFrom().voidItem())
        .invoke(this::wake);
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
        .invoke(this::wake);
  }

  @Incoming("changes")
  public Uni<Void> onChange(ConsumerRecord<String, byte[]> record) {
    return consumer
        .consume(
            record,
            (session, event, payload) -> {
              if (!(payload instanceof PullRequestChange pr)) {
                return Uni.createFrom().voidItem();
              }
              EventType type = EventType.fromType(event.type()).orElseThrow();
              return switch (type) {
                case CHANGE_CREATED, CHANGE_UPDATED -> reviewApps.onPullRequestOpen(session, pr);
                case CHANGE_MERGED, CHANGE_ABANDONED -> reviewApps.onPullRequestClosed(session, pr);
                default -> Uni.createFrom().voidItem();
              };
            })
        .invoke(this::wake);
  }

  private Uni<Void> testRunFinished(
      org.hibernate.reactive.mutiny.Mutiny.Session session, TestRunFinished run) {
    if (run.status() != TestRunStatus.SUCCEEDED) {
      return Uni.createFrom().voidItem();
    }
    return artifacts
        .testsPassed(session, UUID.fromString(run.buildId()), run.number())
        .flatMap(
            a ->
                a.isPresent()
                    ? reviewApps.onTestsPassed(session, a.get())
                    : Uni.createFrom().voidItem())
        .flatMap(v -> autoDeploy.onTestRunFinished(session, run));
  }

  private void wake() {
    workers.wake();
    reviewAppWorker.wake();
  }
}

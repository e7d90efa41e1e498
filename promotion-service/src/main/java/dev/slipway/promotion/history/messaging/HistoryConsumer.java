package dev.slipway.promotion.history.messaging;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventPayload;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.build.BuildStarted;
import dev.slipway.events.change.ChangePushed;
import dev.slipway.events.environment.EnvironmentChange;
import dev.slipway.events.environment.EnvironmentKind;
import dev.slipway.events.release.ReleaseCreated;
import dev.slipway.events.release.ReleaseFinished;
import dev.slipway.events.testrun.TestRunEvent;
import dev.slipway.platform.inbox.IdempotentConsumer;
import dev.slipway.promotion.history.HistoryChanged;
import dev.slipway.promotion.history.persistence.HistoryProjections;
import dev.slipway.promotion.history.persistence.HistoryProjections.BuildFacts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Keeps the history projections from the changes, builds, test-runs, releases and environments
 * topics. Types a projection does not need (pull-request changes, service deployments, non-review
 * environments) are acknowledged without effect.
 */
@ApplicationScoped
public class HistoryConsumer {

  private final IdempotentConsumer consumer;
  private final HistoryProjections projections;
  private final Event<HistoryChanged> changed;

  public HistoryConsumer(
      IdempotentConsumer consumer, HistoryProjections projections, Event<HistoryChanged> changed) {
    this.consumer = consumer;
    this.projections = projections;
    this.changed = changed;
  }

  @Incoming("changes")
  public Uni<Void> onChange(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(record, this::applyChange);
  }

  @Incoming("builds")
  public Uni<Void> onBuild(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(record, this::applyBuild).invoke(() -> told(record));
  }

  @Incoming("testruns")
  public Uni<Void> onTestRun(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(record, this::applyTestRun).invoke(() -> told(record));
  }

  @Incoming("releases")
  public Uni<Void> onRelease(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(record, this::applyRelease).invoke(() -> told(record));
  }

  @Incoming("environments")
  public Uni<Void> onEnvironment(ConsumerRecord<String, byte[]> record) {
    return consumer.consume(record, this::applyEnvironment).invoke(() -> told(record));
  }

  private Uni<Void> applyChange(Mutiny.Session session, CloudEvent event, EventPayload payload) {
    // A push that deleted the branch ships no commit.
    if (payload instanceof ChangePushed p && !p.deleted()) {
      return projections.push(
          session, p.pipelineId(), p.branch(), p.afterSha(), p.beforeSha(), event.time());
    }
    return nothing();
  }

  private Uni<Void> applyBuild(Mutiny.Session session, CloudEvent event, EventPayload payload) {
    if (payload instanceof BuildQueued b) {
      return projections.buildQueued(
          session,
          new BuildFacts(
              b.buildId(), b.pipelineId(), b.commitSha(), b.branch(), b.prNumber(), b.fork()),
          b.queuedAt());
    }
    if (payload instanceof BuildStarted b) {
      return projections.buildStarted(
          session,
          new BuildFacts(
              b.buildId(), b.pipelineId(), b.commitSha(), b.branch(), b.prNumber(), b.fork()),
          b.startedAt());
    }
    if (payload instanceof BuildFinished b) {
      return projections.buildFinished(
          session,
          new BuildFacts(
              b.buildId(), b.pipelineId(), b.commitSha(), b.branch(), b.prNumber(), b.fork()),
          name(b.status()),
          b.artifactDigest(),
          b.finishedAt());
    }
    return nothing();
  }

  private Uni<Void> applyTestRun(Mutiny.Session session, CloudEvent event, EventPayload payload) {
    if (payload instanceof TestRunEvent t) {
      return projections.testRun(
          session,
          t.testRunId(),
          t.pipelineId(),
          t.number(),
          t.buildId(),
          t.commitSha(),
          t.branch(),
          name(t.status()),
          t.message(),
          event.time());
    }
    return nothing();
  }

  private Uni<Void> applyRelease(Mutiny.Session session, CloudEvent event, EventPayload payload) {
    if (payload instanceof ReleaseCreated r) {
      return projections.release(
          session,
          false,
          r.releaseId(),
          r.pipelineId(),
          r.appName(),
          r.version(),
          r.artifactDigest(),
          name(r.status()),
          r.description(),
          r.cause(),
          event.time());
    }
    if (payload instanceof ReleaseFinished r) {
      return projections.release(
          session,
          true,
          r.releaseId(),
          r.pipelineId(),
          r.appName(),
          r.version(),
          r.artifactDigest(),
          name(r.status()),
          r.description(),
          r.cause(),
          event.time());
    }
    return nothing();
  }

  private Uni<Void> applyEnvironment(
      Mutiny.Session session, CloudEvent event, EventPayload payload) {
    if (payload instanceof EnvironmentChange e && e.kind() == EnvironmentKind.REVIEW) {
      return projections.reviewApp(
          session,
          e.environmentId(),
          e.pipelineId(),
          e.appName(),
          e.prNumber(),
          name(e.status()),
          e.url(),
          event.time());
    }
    return nothing();
  }

  /**
   * Tells gate-keepers, once the transaction is committed, that a fact they read may have changed.
   */
  private void told(ConsumerRecord<String, byte[]> record) {
    changed.fire(new HistoryChanged(record.key()));
  }

  /** The status as it appears in events and in the API: the enum's name in lower case. */
  private static String name(Enum<?> status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  private static Uni<Void> nothing() {
    return Uni.createFrom().voidItem();
  }
}

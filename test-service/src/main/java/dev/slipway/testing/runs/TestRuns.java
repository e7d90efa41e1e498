package dev.slipway.testing.runs;

import dev.slipway.events.EventType;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.platform.instances.Abandonment;
import dev.slipway.platform.instances.CancelRequests;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.work.InSequence;
import dev.slipway.testing.results.TestOutcome;
import dev.slipway.testing.runs.persistence.TestRunStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Test runs and their life: created for succeeded builds (or on request), claimed by a worker,
 * advanced through creating, building and running, and ended once; every change commits together
 * with the event announcing it (outbox). Queries live in {@link TestRunStore}, the rules in {@link
 * TestRunRules} and {@link FlakyDetection}, the event payloads in {@link TestRunEvents}.
 */
@ApplicationScoped
public class TestRuns {

  private final Mutiny.SessionFactory sessionFactory;
  private final TestRunStore store;
  private final Outbox outbox;
  private final TestRunEvents events;
  private final String schema;

  public TestRuns(
      Mutiny.SessionFactory sessionFactory,
      TestRunStore store,
      Outbox outbox,
      @ConfigProperty(name = "slipway.public-url") String publicUrl,
      @ConfigProperty(name = "slipway.schema") String schema) {
    this.schema = schema;
    this.sessionFactory = sessionFactory;
    this.store = store;
    this.outbox = outbox;
    this.events = new TestRunEvents(publicUrl);
  }

  /** A run that just ended, with the flaky test cases it revealed. */
  public record Ended(TestRun run, List<FlakyTest> flaky) {}

  /**
   * Applies a build.finished in the consumer's transaction: a succeeded build is remembered and
   * gets its one automatic run; anything else creates nothing. Empty when no run was created.
   */
  public Uni<Optional<TestRun>> onBuildFinished(Mutiny.Session session, BuildFinished build) {
    if (build.status() != BuildStatus.SUCCEEDED) {
      return Uni.createFrom().item(Optional.empty());
    }
    SucceededBuild b =
        new SucceededBuild(
            build.buildId(),
            UUID.fromString(build.pipelineId()),
            build.commitSha(),
            build.branch(),
            build.prNumber(),
            build.fork(),
            build.artifactDigest(),
            build.sourceBundleDigest(),
            build.sourceBundleUri(),
            build.finishedAt());
    return store
        .rememberBuild(session, b)
        .flatMap(v -> store.hasAutomaticRun(session, b.pipelineId(), b.buildId()))
        .flatMap(
            exists -> {
              if (exists) {
                return Uni.createFrom().item(Optional.<TestRun>empty());
              }
              if (build.reusedFrom() == null) {
                return create(session, b, TestRun.AUTOMATIC, "build.finished").map(Optional::of);
              }
              // Heroku CI does not test one commit twice: a build that reused the commit's
              // artifact takes the newest verdict on it instead of a run, if there is one.
              return store
                  .latestVerdict(session, b)
                  .flatMap(
                      earlier ->
                          earlier.isEmpty()
                              ? create(session, b, TestRun.AUTOMATIC, "build.finished")
                              : reuseVerdict(session, b, earlier.get()))
                  .map(Optional::of);
            });
  }

  /**
   * Records {@code build}'s automatic run as already ended with {@code earlier}'s verdict and
   * counts, announced as queued and finished like any run, so auto-deploy (waiting for CI) treats
   * the reusing build as tested.
   */
  private Uni<TestRun> reuseVerdict(Mutiny.Session session, SucceededBuild build, TestRun earlier) {
    return create(session, build, TestRun.AUTOMATIC, "build.finished")
        .flatMap(
            run ->
                store.endWithVerdictOf(
                    session,
                    run.id(),
                    earlier,
                    TestRunRules.reusedVerdict(run.commitSha(), earlier.number())))
        .flatMap(ended -> announceFinished(session, ended));
  }

  /**
   * The succeeded build a manual run tests: that build of the pipeline, or the latest succeeded
   * build of the commit.
   */
  public Uni<Optional<SucceededBuild>> succeededBuild(
      UUID pipelineId, String buildId, String commitSha) {
    return sessionFactory.withSession(s -> store.succeededBuild(s, pipelineId, buildId, commitSha));
  }

  /** Creates a manual run of {@code build}. */
  public Uni<TestRun> createManual(SucceededBuild build, String requestedBy) {
    return sessionFactory.withTransaction(s -> create(s, build, TestRun.MANUAL, requestedBy));
  }

  private Uni<TestRun> create(
      Mutiny.Session session, SucceededBuild build, String trigger, String requestedBy) {
    return store
        .insertPending(session, build, trigger, requestedBy)
        .flatMap(
            run ->
                outbox
                    .record(session, EventType.TESTSUITERUN_QUEUED, events.queued(run))
                    .replaceWith(run));
  }

  /**
   * Claims the oldest pending run for a worker of the instance incarnation {@code owner}: it
   * becomes {@code creating}, announced by testsuiterun.started.
   */
  public Uni<Optional<TestRun>> claimNext(UUID owner) {
    return sessionFactory.withTransaction(
        session ->
            store
                .claimOldestPending(session, owner)
                .flatMap(
                    claimed ->
                        claimed.isEmpty()
                            ? Uni.createFrom().item(claimed)
                            : outbox
                                .record(
                                    session,
                                    EventType.TESTSUITERUN_STARTED,
                                    events.started(claimed.get()))
                                .replaceWith(claimed)));
  }

  /** Moves a run forward to {@code phase} when its rules allow; otherwise changes nothing. */
  public Uni<Void> advance(UUID id, TestRunPhase phase) {
    return sessionFactory.withTransaction(s -> store.advance(s, id, phase));
  }

  /** Records the nodes a run will have, each {@code running} until the run ends. */
  public Uni<Void> planNodes(UUID id, int count) {
    return sessionFactory.withTransaction(s -> store.planNodes(s, id, count));
  }

  /**
   * Ends a run with {@code result} unless it already ended: its nodes and test cases are stored,
   * testsuiterun.finished is recorded, and a succeeded run flags the cases that failed in an
   * earlier failed run of the same commit as flaky.
   */
  public Uni<Ended> complete(UUID id, RunResult result) {
    return sessionFactory.withTransaction(
        session ->
            store
                .find(session, id)
                .flatMap(
                    found -> {
                      if (found.isEmpty() || found.get().phase().isTerminal()) {
                        return Uni.createFrom().item(new Ended(found.orElse(null), List.of()));
                      }
                      return store
                          .storeNodes(session, id, result)
                          .flatMap(v -> finish(session, id, result))
                          .flatMap(
                              run ->
                                  result.phase() == TestRunPhase.SUCCEEDED
                                      ? detectFlaky(session, run, result)
                                          .map(flaky -> new Ended(run, flaky))
                                      : Uni.createFrom().item(new Ended(run, List.of())));
                    }));
  }

  /** Ends the run as {@code result} says and announces it. */
  private Uni<TestRun> finish(Mutiny.Session session, UUID id, RunResult result) {
    return store
        .end(
            session,
            id,
            result.phase(),
            TestRunRules.storedMessage(result.message()),
            TestRunRules.counts(result))
        .flatMap(run -> announceFinished(session, run));
  }

  /** testsuiterun.finished for a run that holds how it ended. */
  private Uni<TestRun> announceFinished(Mutiny.Session session, TestRun run) {
    return outbox
        .record(session, EventType.TESTSUITERUN_FINISHED, events.finished(run))
        .replaceWith(run);
  }

  private Uni<List<FlakyTest>> detectFlaky(Mutiny.Session session, TestRun run, RunResult result) {
    if (!FlakyDetection.passedAny(result)) {
      return Uni.createFrom().item(List.of());
    }
    return store
        .failedBefore(session, run)
        .flatMap(
            failedBefore ->
                store.recordFlaky(session, run, FlakyDetection.flaky(result, failedBefore)));
  }

  /**
   * Cancels a run: a pending one ends at once; a started one is marked and, on commit, the replica
   * running it is told to stop its nodes ({@link CancelRequests}). Returns the run after the
   * change.
   */
  public Uni<Optional<TestRun>> requestCancel(UUID id, String by) {
    return sessionFactory.withTransaction(
        session ->
            store
                .find(session, id)
                .flatMap(
                    found -> {
                      if (found.isEmpty()) {
                        return Uni.createFrom().item(found);
                      }
                      TestRunPhase phase = found.get().phase();
                      if (phase == TestRunPhase.PENDING) {
                        return finish(
                                session,
                                id,
                                RunResult.ended(TestRunPhase.CANCELLED, "cancelled by " + by))
                            .map(Optional::of);
                      }
                      if (!phase.isTerminal()) {
                        // The instance running it may be another replica: it hears the NOTIFY.
                        return store
                            .markCancelRequested(session, id)
                            .flatMap(
                                run ->
                                    CancelRequests.announce(session, schema, id)
                                        .map(v -> Optional.of(run)));
                      }
                      return Uni.createFrom().item(found);
                    }));
  }

  /** Whether someone asked to cancel this run. */
  public Uni<Boolean> cancelRequested(UUID id) {
    return sessionFactory.withSession(s -> store.cancelRequested(s, id));
  }

  /**
   * Ends every started run whose owner instance is gone ({@code abandonment} decides): nobody will
   * finish them (DESIGN §7: errored, never stuck). Runs other live instances run are left alone.
   * Returns the runs it ended.
   */
  public Uni<List<TestRun>> errorAbandoned(Abandonment abandonment) {
    RunResult abandoned =
        RunResult.ended(
            TestRunPhase.ERRORED,
            "the test-service instance running this run stopped while this run was running");
    return sessionFactory.withTransaction(
        session ->
            store
                .abandoned(session, abandonment)
                .flatMap(
                    list -> {
                      List<TestRun> ended = new ArrayList<>();
                      return InSequence.forEach(
                              list,
                              run ->
                                  store
                                      .storeNodes(session, run.id(), abandoned)
                                      .flatMap(v -> finish(session, run.id(), abandoned))
                                      .invoke(ended::add))
                          .map(v -> ended);
                    }));
  }

  /** Which of {@code ids} are runs that have not ended: their workspaces are still in use. */
  public Uni<List<UUID>> unended(java.util.Collection<UUID> ids) {
    return sessionFactory.withSession(s -> store.unended(s, ids));
  }

  public Uni<Optional<TestRun>> find(UUID id) {
    return sessionFactory.withSession(s -> store.find(s, id));
  }

  /** A pipeline's runs, newest first. */
  public Uni<List<TestRun>> list(UUID pipelineId, int offset, int limit) {
    return sessionFactory.withSession(s -> store.list(s, pipelineId, offset, limit));
  }

  public Uni<List<TestNode>> nodes(UUID runId) {
    return sessionFactory.withSession(s -> store.nodes(s, runId));
  }

  /** A run's test cases in the order its nodes reported them, optionally of one outcome. */
  public Uni<List<TestCase>> cases(UUID runId, TestOutcome outcome) {
    return sessionFactory.withSession(s -> store.cases(s, runId, outcome));
  }

  /** The flaky test cases seen in a pipeline, newest first. */
  public Uni<List<FlakyTest>> flaky(UUID pipelineId, int limit) {
    return sessionFactory.withSession(s -> store.flaky(s, pipelineId, limit));
  }

  /** How many runs wait for a worker. */
  public Uni<Long> pendingCount() {
    return sessionFactory.withSession(store::pendingCount);
  }
}

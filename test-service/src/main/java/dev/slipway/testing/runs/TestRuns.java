package dev.slipway.testing.runs;

import dev.slipway.events.EventType;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunQueued;
import dev.slipway.events.testrun.TestRunStarted;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.results.TestOutcome;
import dev.slipway.testing.runs.persistence.FlakyTestEntity;
import dev.slipway.testing.runs.persistence.SucceededBuildEntity;
import dev.slipway.testing.runs.persistence.TestCaseEntity;
import dev.slipway.testing.runs.persistence.TestNodeEntity;
import dev.slipway.testing.runs.persistence.TestRunEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Test runs and their life: created for succeeded builds (or on request), claimed by a worker,
 * advanced through creating, building and running, and ended once; every change commits together
 * with the event announcing it (outbox).
 */
@ApplicationScoped
public class TestRuns {

  private static final int MAX_MESSAGE = 1000;
  private static final List<String> ACTIVE = List.of("creating", "building", "running");

  private static final String NEXT_PENDING =
      """
      select r.id from %1$s.test_run r where r.status = 'pending'
      order by r.created_at, r.id
      limit 1 for update skip locked
      """;

  /** The row lock taken by the upsert serialises concurrent allocations for one pipeline. */
  private static final String NEXT_NUMBER =
      """
      insert into %1$s.test_run_counter as c (pipeline_id, last_number) values (?1, 1)
      on conflict (pipeline_id) do update set last_number = c.last_number + 1
      returning c.last_number
      """;

  private final Mutiny.SessionFactory sessionFactory;
  private final Outbox outbox;
  private final String nextPending;
  private final String nextNumber;

  public TestRuns(
      Mutiny.SessionFactory sessionFactory,
      Outbox outbox,
      @ConfigProperty(name = "slipway.schema") String schema) {
    this.sessionFactory = sessionFactory;
    this.outbox = outbox;
    this.nextPending = NEXT_PENDING.formatted(schema);
    this.nextNumber = NEXT_NUMBER.formatted(schema);
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
    UUID pipelineId = UUID.fromString(build.pipelineId());
    return session
        .find(SucceededBuildEntity.class, build.buildId())
        .flatMap(
            existing -> {
              if (existing != null) {
                return Uni.createFrom().voidItem();
              }
              SucceededBuildEntity b = new SucceededBuildEntity();
              b.buildId = build.buildId();
              b.pipelineId = pipelineId;
              b.commitSha = build.commitSha();
              b.branch = build.branch();
              b.prNumber = build.prNumber();
              b.fork = build.fork();
              b.artifactDigest = build.artifactDigest();
              b.sourceBundleDigest = build.sourceBundleDigest();
              b.sourceBundleUri = build.sourceBundleUri();
              b.finishedAt = build.finishedAt().atOffset(ZoneOffset.UTC);
              return session.persist(b);
            })
        .flatMap(
            v ->
                session
                    .createSelectionQuery(
                        "select count(*) from TestRunEntity where pipelineId = :p"
                            + " and buildId = :b and trigger = :t",
                        Long.class)
                    .setParameter("p", pipelineId)
                    .setParameter("b", build.buildId())
                    .setParameter("t", TestRun.AUTOMATIC)
                    .getSingleResult())
        .flatMap(
            count -> {
              if (count > 0) {
                return Uni.createFrom().item(Optional.<TestRun>empty());
              }
              SucceededBuild b =
                  new SucceededBuild(
                      build.buildId(),
                      pipelineId,
                      build.commitSha(),
                      build.branch(),
                      build.prNumber(),
                      build.fork(),
                      build.artifactDigest(),
                      build.sourceBundleDigest(),
                      build.sourceBundleUri(),
                      build.finishedAt());
              if (build.reusedFrom() == null) {
                return create(session, b, TestRun.AUTOMATIC, "build.finished").map(Optional::of);
              }
              return verdictOf(session, b)
                  .flatMap(
                      earlier ->
                          earlier == null
                              ? create(session, b, TestRun.AUTOMATIC, "build.finished")
                              : reuseVerdict(session, b, earlier))
                  .map(Optional::of);
            });
  }

  /**
   * The newest verdict (succeeded or failed) on this commit and artifact in the pipeline, or null:
   * what a build that reused the commit's artifact gets instead of a run, as Heroku CI does not
   * test one commit twice. A trusted build never takes a fork run's verdict (it ran without the
   * pipeline's secrets).
   */
  private Uni<TestRunEntity> verdictOf(Mutiny.Session session, SucceededBuild build) {
    return session
        .createSelectionQuery(
            "from TestRunEntity where pipelineId = :p and commitSha = :sha and artifactDigest = :d"
                + " and status in ('succeeded', 'failed') and (fork = false or fork = :fork)"
                + " order by finishedAt desc, id",
            TestRunEntity.class)
        .setParameter("p", build.pipelineId())
        .setParameter("sha", build.commitSha())
        .setParameter("d", build.artifactDigest())
        .setParameter("fork", build.fork())
        .setMaxResults(1)
        .getSingleResultOrNull();
  }

  /**
   * Records {@code build}'s automatic run as already ended with {@code earlier}'s verdict and
   * counts, announced as queued and finished like any run, so auto-deploy (waiting for CI) treats
   * the reusing build as tested.
   */
  private Uni<TestRun> reuseVerdict(
      Mutiny.Session session, SucceededBuild build, TestRunEntity earlier) {
    return create(session, build, TestRun.AUTOMATIC, "build.finished")
        .flatMap(run -> session.find(TestRunEntity.class, run.id()))
        .flatMap(
            e -> {
              e.startedAt = e.createdAt;
              e.finishedAt = e.createdAt;
              e.status = earlier.status;
              e.passed = earlier.passed;
              e.failed = earlier.failed;
              e.skipped = earlier.skipped;
              e.message =
                  "not run again: commit "
                      + e.commitSha.substring(0, Math.min(7, e.commitSha.length()))
                      + " with this artifact was tested by run #"
                      + earlier.number
                      + ", whose verdict this run reuses";
              return announceFinished(session, e).map(v -> toDomain(e));
            });
  }

  private static int nonNull(Integer count) {
    return count == null ? 0 : count;
  }

  /**
   * The succeeded build a manual run tests: that build of the pipeline, or the latest succeeded
   * build of the commit.
   */
  public Uni<Optional<SucceededBuild>> succeededBuild(
      UUID pipelineId, String buildId, String commitSha) {
    return sessionFactory.withSession(
        s -> {
          var q =
              buildId != null
                  ? s.createSelectionQuery(
                          "from SucceededBuildEntity where pipelineId = :p and buildId = :key",
                          SucceededBuildEntity.class)
                      .setParameter("key", buildId)
                  : s.createSelectionQuery(
                          "from SucceededBuildEntity where pipelineId = :p and commitSha = :key"
                              + " order by finishedAt desc",
                          SucceededBuildEntity.class)
                      .setParameter("key", commitSha);
          return q.setParameter("p", pipelineId)
              .setMaxResults(1)
              .getResultList()
              .map(list -> list.stream().findFirst().map(TestRuns::toDomain));
        });
  }

  /** Creates a manual run of {@code build}. */
  public Uni<TestRun> createManual(SucceededBuild build, String requestedBy) {
    return sessionFactory.withTransaction(s -> create(s, build, TestRun.MANUAL, requestedBy));
  }

  private Uni<TestRun> create(
      Mutiny.Session session, SucceededBuild build, String trigger, String requestedBy) {
    return session
        .createNativeQuery(nextNumber, Integer.class)
        .setParameter(1, build.pipelineId())
        .getSingleResult()
        .flatMap(
            number -> {
              TestRunEntity e = new TestRunEntity();
              e.id = UUID.randomUUID();
              e.pipelineId = build.pipelineId();
              e.number = number;
              e.buildId = build.buildId();
              e.commitSha = build.commitSha();
              e.branch = build.branch();
              e.prNumber = build.prNumber();
              e.fork = build.fork();
              e.artifactDigest = build.artifactDigest();
              e.sourceBundleDigest = build.sourceBundleDigest();
              e.sourceBundleUri = build.sourceBundleUri();
              e.trigger = trigger;
              e.requestedBy = requestedBy;
              e.status = TestRunPhase.PENDING.wireName();
              e.createdAt = now();
              return session
                  .persist(e)
                  .flatMap(
                      v ->
                          outbox.record(
                              session,
                              EventType.TESTSUITERUN_QUEUED,
                              new TestRunQueued(
                                  e.pipelineId.toString(),
                                  e.id.toString(),
                                  e.number,
                                  e.buildId,
                                  e.commitSha,
                                  e.branch,
                                  TestRunPhase.PENDING.eventStatus(),
                                  null,
                                  e.artifactDigest)))
                  .map(v -> toDomain(e));
            });
  }

  /**
   * Claims the oldest pending run for a worker: it becomes {@code creating}, announced by
   * testsuiterun.started.
   */
  public Uni<Optional<TestRun>> claimNext() {
    return sessionFactory.withTransaction(
        session ->
            session
                .createNativeQuery(nextPending, UUID.class)
                .getResultList()
                .flatMap(
                    ids -> {
                      if (ids.isEmpty()) {
                        return Uni.createFrom().item(Optional.<TestRun>empty());
                      }
                      return session
                          .find(TestRunEntity.class, ids.get(0))
                          .flatMap(
                              e -> {
                                e.status = TestRunPhase.CREATING.wireName();
                                e.startedAt = now();
                                return outbox
                                    .record(
                                        session,
                                        EventType.TESTSUITERUN_STARTED,
                                        new TestRunStarted(
                                            e.pipelineId.toString(),
                                            e.id.toString(),
                                            e.number,
                                            e.buildId,
                                            e.commitSha,
                                            e.branch,
                                            TestRunPhase.CREATING.eventStatus(),
                                            null,
                                            e.artifactDigest))
                                    .map(v -> Optional.of(toDomain(e)));
                              });
                    }));
  }

  /** Moves a run forward to {@code phase} when its rules allow; otherwise changes nothing. */
  public Uni<Void> advance(UUID id, TestRunPhase phase) {
    return sessionFactory.withTransaction(
        s ->
            s.find(TestRunEntity.class, id)
                .invoke(
                    e -> {
                      if (e != null && TestRunPhase.of(e.status).canBecome(phase)) {
                        e.status = phase.wireName();
                      }
                    })
                .replaceWithVoid());
  }

  /** Records the nodes a run will have, each {@code running} until the run ends. */
  public Uni<Void> planNodes(UUID id, int count) {
    return sessionFactory.withTransaction(
        s -> {
          Uni<Void> chain = Uni.createFrom().voidItem();
          for (int i = 0; i < count; i++) {
            TestNodeEntity n = new TestNodeEntity();
            n.id = UUID.randomUUID();
            n.runId = id;
            n.nodeIndex = i;
            n.status = NodeStatus.RUNNING.wireName();
            chain = chain.flatMap(v -> s.persist(n));
          }
          return chain;
        });
  }

  /**
   * Ends a run with {@code result} unless it already ended: its nodes and test cases are stored,
   * testsuiterun.finished is recorded, and a succeeded run flags the cases that failed in an
   * earlier failed run of the same commit as flaky.
   */
  public Uni<Ended> complete(UUID id, RunResult result) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(TestRunEntity.class, id)
                .flatMap(
                    e -> {
                      if (e == null || TestRunPhase.of(e.status).isTerminal()) {
                        return Uni.createFrom()
                            .item(new Ended(e == null ? null : toDomain(e), List.of()));
                      }
                      return storeNodes(session, e, result)
                          .flatMap(v -> finish(session, e, result))
                          .flatMap(
                              v ->
                                  result.phase() == TestRunPhase.SUCCEEDED
                                      ? detectFlaky(session, e, result)
                                      : Uni.createFrom().item(List.<FlakyTest>of()))
                          .map(flaky -> new Ended(toDomain(e), flaky));
                    }));
  }

  private Uni<Void> storeNodes(Mutiny.Session session, TestRunEntity run, RunResult result) {
    return session
        .createSelectionQuery("from TestNodeEntity where runId = :r", TestNodeEntity.class)
        .setParameter("r", run.id)
        .getResultList()
        .flatMap(
            existing -> {
              Map<Integer, TestNodeEntity> byIndex = new HashMap<>();
              existing.forEach(n -> byIndex.put(n.nodeIndex, n));
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (NodeResult r : result.nodes()) {
                TestNodeEntity n = byIndex.remove(r.index());
                boolean fresh = n == null;
                if (fresh) {
                  n = new TestNodeEntity();
                  n.id = UUID.randomUUID();
                  n.runId = run.id;
                  n.nodeIndex = r.index();
                }
                n.status = r.status().wireName();
                n.exitCode = r.exitCode();
                n.durationMs = r.duration() == null ? null : r.duration().toMillis();
                n.message = r.message();
                if (fresh) {
                  TestNodeEntity created = n;
                  chain = chain.flatMap(v -> session.persist(created));
                }
                int seq = 0;
                for (TestCaseResult c : r.cases()) {
                  TestCaseEntity ce = new TestCaseEntity();
                  ce.id = UUID.randomUUID();
                  ce.runId = run.id;
                  ce.nodeIndex = r.index();
                  ce.seq = seq++;
                  ce.suite = c.suite();
                  ce.name = c.name();
                  ce.outcome = c.outcome().name().toLowerCase(Locale.ROOT);
                  ce.durationMs = c.duration() == null ? null : c.duration().toMillis();
                  ce.message = c.message();
                  chain = chain.flatMap(v -> session.persist(ce));
                }
              }
              // Nodes that never reported share the run's fate.
              String leftover =
                  result.phase() == TestRunPhase.CANCELLED
                      ? NodeStatus.CANCELLED.wireName()
                      : NodeStatus.ERRORED.wireName();
              byIndex.values().forEach(n -> n.status = leftover);
              return chain;
            });
  }

  private Uni<Void> finish(Mutiny.Session session, TestRunEntity e, RunResult result) {
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    for (NodeResult n : result.nodes()) {
      for (TestCaseResult c : n.cases()) {
        switch (c.outcome()) {
          case PASSED -> passed++;
          case FAILED -> failed++;
          case SKIPPED -> skipped++;
        }
      }
    }
    e.status = result.phase().wireName();
    e.message = truncate(result.message());
    e.finishedAt = now();
    e.passed = passed;
    e.failed = failed;
    e.skipped = skipped;
    return announceFinished(session, e);
  }

  /** testsuiterun.finished for a run whose row already holds how it ended. */
  private Uni<Void> announceFinished(Mutiny.Session session, TestRunEntity e) {
    return outbox
        .record(
            session,
            EventType.TESTSUITERUN_FINISHED,
            new TestRunFinished(
                e.pipelineId.toString(),
                e.id.toString(),
                e.number,
                e.buildId,
                e.commitSha,
                e.branch,
                TestRunPhase.of(e.status).eventStatus(),
                e.message,
                e.artifactDigest,
                new TestRunFinished.Counts(
                    nonNull(e.passed), nonNull(e.failed), nonNull(e.skipped))))
        .replaceWithVoid();
  }

  private Uni<List<FlakyTest>> detectFlaky(
      Mutiny.Session session, TestRunEntity run, RunResult result) {
    Map<String, TestCaseResult> passedNow = new LinkedHashMap<>();
    for (NodeResult n : result.nodes()) {
      for (TestCaseResult c : n.cases()) {
        if (c.outcome() == TestOutcome.PASSED) {
          passedNow.put(c.suite() + "\u0000" + c.name(), c);
        }
      }
    }
    if (passedNow.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return session
        .createSelectionQuery(
            "from TestCaseEntity where outcome = 'failed' and runId in (select id from"
                + " TestRunEntity where pipelineId = :p and commitSha = :sha and status = 'failed'"
                + " and id <> :id) order by runId",
            TestCaseEntity.class)
        .setParameter("p", run.pipelineId)
        .setParameter("sha", run.commitSha)
        .setParameter("id", run.id)
        .getResultList()
        .flatMap(
            failedBefore -> {
              Map<String, TestCaseEntity> flaky = new LinkedHashMap<>();
              for (TestCaseEntity c : failedBefore) {
                String key = c.suite + "\u0000" + c.name;
                if (passedNow.containsKey(key)) {
                  flaky.putIfAbsent(key, c);
                }
              }
              List<FlakyTest> found = new ArrayList<>();
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (TestCaseEntity c : flaky.values()) {
                FlakyTestEntity f = new FlakyTestEntity();
                f.id = UUID.randomUUID();
                f.pipelineId = run.pipelineId;
                f.commitSha = run.commitSha;
                f.suite = c.suite;
                f.name = c.name;
                f.failedRunId = c.runId;
                f.passedRunId = run.id;
                f.detectedAt = now();
                found.add(toDomain(f));
                chain = chain.flatMap(v -> session.persist(f));
              }
              return chain.map(v -> found);
            });
  }

  /**
   * Cancels a run: a pending one ends at once; a started one is marked and the caller stops its
   * nodes. Returns the run after the change, with whether it was pending.
   */
  public Uni<Optional<TestRun>> requestCancel(UUID id, String by) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(TestRunEntity.class, id)
                .flatMap(
                    e -> {
                      if (e == null) {
                        return Uni.createFrom().item(Optional.<TestRun>empty());
                      }
                      TestRunPhase phase = TestRunPhase.of(e.status);
                      if (phase == TestRunPhase.PENDING) {
                        return finish(
                                session,
                                e,
                                RunResult.ended(TestRunPhase.CANCELLED, "cancelled by " + by))
                            .map(v -> Optional.of(toDomain(e)));
                      }
                      if (!phase.isTerminal()) {
                        e.cancelRequested = true;
                      }
                      return Uni.createFrom().item(Optional.of(toDomain(e)));
                    }));
  }

  /** Whether someone asked to cancel this run. */
  public Uni<Boolean> cancelRequested(UUID id) {
    return sessionFactory.withSession(
        s -> s.find(TestRunEntity.class, id).map(e -> e != null && e.cancelRequested));
  }

  /**
   * Ends every run a previous instance of this service left started: nobody will finish them
   * (DESIGN §7: errored, never stuck). Returns the runs it ended.
   */
  public Uni<List<TestRun>> errorAbandoned() {
    return sessionFactory.withTransaction(
        session ->
            session
                .createSelectionQuery(
                    "from TestRunEntity where status in :active", TestRunEntity.class)
                .setParameter("active", ACTIVE)
                .getResultList()
                .flatMap(
                    list -> {
                      RunResult abandoned =
                          RunResult.ended(
                              TestRunPhase.ERRORED,
                              "the test-service stopped while this run was running");
                      Uni<Void> chain = Uni.createFrom().voidItem();
                      for (TestRunEntity e : list) {
                        chain =
                            chain
                                .flatMap(v -> storeNodes(session, e, abandoned))
                                .flatMap(v -> finish(session, e, abandoned));
                      }
                      return chain.map(v -> list.stream().map(TestRuns::toDomain).toList());
                    }));
  }

  public Uni<Optional<TestRun>> find(UUID id) {
    return sessionFactory.withSession(
        s ->
            s.find(TestRunEntity.class, id)
                .map(e -> Optional.ofNullable(e).map(TestRuns::toDomain)));
  }

  /** A pipeline's runs, newest first. */
  public Uni<List<TestRun>> list(UUID pipelineId, int offset, int limit) {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from TestRunEntity where pipelineId = :p order by number desc",
                    TestRunEntity.class)
                .setParameter("p", pipelineId)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList()
                .map(list -> list.stream().map(TestRuns::toDomain).toList()));
  }

  public Uni<List<TestNode>> nodes(UUID runId) {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from TestNodeEntity where runId = :r order by nodeIndex", TestNodeEntity.class)
                .setParameter("r", runId)
                .getResultList()
                .map(
                    list ->
                        list.stream()
                            .map(
                                n ->
                                    new TestNode(
                                        n.nodeIndex, n.status, n.exitCode, n.durationMs, n.message))
                            .toList()));
  }

  /** A run's test cases in the order its nodes reported them, optionally of one outcome. */
  public Uni<List<TestCase>> cases(UUID runId, TestOutcome outcome) {
    String hql =
        "from TestCaseEntity where runId = :r"
            + (outcome == null ? "" : " and outcome = :o")
            + " order by nodeIndex, seq";
    return sessionFactory.withSession(
        s -> {
          var q = s.createSelectionQuery(hql, TestCaseEntity.class).setParameter("r", runId);
          if (outcome != null) {
            q.setParameter("o", outcome.name().toLowerCase(Locale.ROOT));
          }
          return q.getResultList()
              .map(
                  list ->
                      list.stream()
                          .map(
                              c ->
                                  new TestCase(
                                      c.nodeIndex,
                                      c.suite,
                                      c.name,
                                      TestOutcome.valueOf(c.outcome.toUpperCase(Locale.ROOT)),
                                      c.durationMs,
                                      c.message))
                          .toList());
        });
  }

  /** The flaky test cases seen in a pipeline, newest first. */
  public Uni<List<FlakyTest>> flaky(UUID pipelineId, int limit) {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from FlakyTestEntity where pipelineId = :p order by detectedAt desc",
                    FlakyTestEntity.class)
                .setParameter("p", pipelineId)
                .setMaxResults(limit)
                .getResultList()
                .map(list -> list.stream().map(TestRuns::toDomain).toList()));
  }

  /** How many runs wait for a worker. */
  public Uni<Long> pendingCount() {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "select count(*) from TestRunEntity where status = 'pending'", Long.class)
                .getSingleResult());
  }

  private static String truncate(String message) {
    if (message == null || message.length() <= MAX_MESSAGE) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE - 1) + "\u2026";
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  static TestRun toDomain(TestRunEntity e) {
    return new TestRun(
        e.id,
        e.pipelineId,
        e.number,
        e.buildId,
        e.commitSha,
        e.branch,
        e.prNumber,
        e.fork,
        e.artifactDigest,
        e.sourceBundleDigest,
        e.sourceBundleUri,
        e.trigger,
        e.requestedBy,
        TestRunPhase.of(e.status),
        e.message,
        e.createdAt.toInstant(),
        e.startedAt == null ? null : e.startedAt.toInstant(),
        e.finishedAt == null ? null : e.finishedAt.toInstant(),
        e.passed == null ? null : new TestRun.Counts(e.passed, e.failed, e.skipped));
  }

  private static SucceededBuild toDomain(SucceededBuildEntity b) {
    return new SucceededBuild(
        b.buildId,
        b.pipelineId,
        b.commitSha,
        b.branch,
        b.prNumber,
        b.fork,
        b.artifactDigest,
        b.sourceBundleDigest,
        b.sourceBundleUri,
        b.finishedAt.toInstant());
  }

  private static FlakyTest toDomain(FlakyTestEntity f) {
    return new FlakyTest(
        f.commitSha, f.suite, f.name, f.failedRunId, f.passedRunId, f.detectedAt.toInstant());
  }
}

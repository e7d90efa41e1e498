package dev.slipway.testing.runs.persistence;

import dev.slipway.platform.instances.Abandonment;
import dev.slipway.platform.work.InSequence;
import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.results.TestOutcome;
import dev.slipway.testing.runs.FlakyDetection;
import dev.slipway.testing.runs.FlakyTest;
import dev.slipway.testing.runs.NodeResult;
import dev.slipway.testing.runs.NodeStatus;
import dev.slipway.testing.runs.RunResult;
import dev.slipway.testing.runs.SucceededBuild;
import dev.slipway.testing.runs.TestCase;
import dev.slipway.testing.runs.TestNode;
import dev.slipway.testing.runs.TestRun;
import dev.slipway.testing.runs.TestRunPhase;
import dev.slipway.testing.runs.TestRunRules;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The test-run tables ({@code test_run}, {@code test_node}, {@code test_case}, {@code flaky_test},
 * {@code succeeded_build}, {@code test_run_counter}): every query and write, the per-pipeline
 * numbering and the queue claim, in the caller's session, answering with domain records. Over 500
 * lines because it is the one place that knows these six tables, which a run's end writes together.
 */
@ApplicationScoped
public class TestRunStore {

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

  private final String nextPending;
  private final String nextNumber;

  public TestRunStore(@ConfigProperty(name = "slipway.schema") String schema) {
    this.nextPending = NEXT_PENDING.formatted(schema);
    this.nextNumber = NEXT_NUMBER.formatted(schema);
  }

  /** Remembers a succeeded build (once), so manual runs can test it later. */
  public Uni<Void> rememberBuild(Mutiny.Session session, SucceededBuild build) {
    return session
        .find(SucceededBuildEntity.class, build.buildId())
        .flatMap(
            existing -> {
              if (existing != null) {
                return Uni.createFrom().voidItem();
              }
              SucceededBuildEntity b = new SucceededBuildEntity();
              b.buildId = build.buildId();
              b.pipelineId = build.pipelineId();
              b.commitSha = build.commitSha();
              b.branch = build.branch();
              b.prNumber = build.prNumber();
              b.fork = build.fork();
              b.artifactDigest = build.artifactDigest();
              b.sourceBundleDigest = build.sourceBundleDigest();
              b.sourceBundleUri = build.sourceBundleUri();
              b.finishedAt = build.finishedAt().atOffset(ZoneOffset.UTC);
              return session.persist(b);
            });
  }

  /** Whether the build already has its automatic run. */
  public Uni<Boolean> hasAutomaticRun(Mutiny.Session session, UUID pipelineId, String buildId) {
    return session
        .createSelectionQuery(
            "select count(*) from TestRunEntity where pipelineId = :p"
                + " and buildId = :b and trigger = :t",
            Long.class)
        .setParameter("p", pipelineId)
        .setParameter("b", buildId)
        .setParameter("t", TestRun.AUTOMATIC)
        .getSingleResult()
        .map(count -> count > 0);
  }

  /**
   * The newest verdict (succeeded or failed) on the build's commit and artifact in its pipeline. A
   * trusted build never takes a fork run's verdict (it ran without the pipeline's secrets).
   */
  public Uni<Optional<TestRun>> latestVerdict(Mutiny.Session session, SucceededBuild build) {
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
        .getSingleResultOrNull()
        .map(e -> Optional.ofNullable(e).map(TestRunStore::toDomain));
  }

  /** The succeeded build of the pipeline with this id, or the latest one of this commit. */
  public Uni<Optional<SucceededBuild>> succeededBuild(
      Mutiny.Session session, UUID pipelineId, String buildId, String commitSha) {
    var q =
        buildId != null
            ? session
                .createSelectionQuery(
                    "from SucceededBuildEntity where pipelineId = :p and buildId = :key",
                    SucceededBuildEntity.class)
                .setParameter("key", buildId)
            : session
                .createSelectionQuery(
                    "from SucceededBuildEntity where pipelineId = :p and commitSha = :key"
                        + " order by finishedAt desc",
                    SucceededBuildEntity.class)
                .setParameter("key", commitSha);
    return q.setParameter("p", pipelineId)
        .setMaxResults(1)
        .getResultList()
        .map(list -> list.stream().findFirst().map(TestRunStore::toDomain));
  }

  /** Stores a pending run of {@code build} under the pipeline's next number. */
  public Uni<TestRun> insertPending(
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
              return session.persist(e).map(v -> toDomain(e));
            });
  }

  /**
   * Ends a just-created run with {@code earlier}'s verdict and counts, at its creation time, with
   * {@code message}.
   */
  public Uni<TestRun> endWithVerdictOf(
      Mutiny.Session session, UUID id, TestRun earlier, String message) {
    return session
        .find(TestRunEntity.class, id)
        .map(
            e -> {
              e.startedAt = e.createdAt;
              e.finishedAt = e.createdAt;
              e.status = earlier.phase().wireName();
              if (earlier.counts() != null) {
                e.passed = earlier.counts().passed();
                e.failed = earlier.counts().failed();
                e.skipped = earlier.counts().skipped();
              }
              e.message = message;
              return toDomain(e);
            });
  }

  /**
   * Claims the oldest pending run no other transaction holds: it becomes {@code creating}, started
   * now.
   */
  public Uni<Optional<TestRun>> claimOldestPending(Mutiny.Session session, UUID owner) {
    return session
        .createNativeQuery(nextPending, UUID.class)
        .getResultList()
        .flatMap(
            ids -> {
              if (ids.isEmpty()) {
                return Uni.createFrom().item(Optional.<TestRun>empty());
              }
              return session
                  .find(TestRunEntity.class, ids.get(0))
                  .map(
                      e -> {
                        e.status = TestRunPhase.CREATING.wireName();
                        e.startedAt = now();
                        e.ownerInstance = owner;
                        return Optional.of(toDomain(e));
                      });
            });
  }

  /** Moves a run to {@code phase} when {@link TestRunPhase#canBecome} allows it. */
  public Uni<Void> advance(Mutiny.Session session, UUID id, TestRunPhase phase) {
    return session
        .find(TestRunEntity.class, id)
        .invoke(
            e -> {
              if (e != null && TestRunPhase.of(e.status).canBecome(phase)) {
                e.status = phase.wireName();
              }
            })
        .replaceWithVoid();
  }

  /** Records the nodes a run will have, each {@code running} until the run ends. */
  public Uni<Void> planNodes(Mutiny.Session session, UUID id, int count) {
    List<TestNodeEntity> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TestNodeEntity n = new TestNodeEntity();
      n.id = UUID.randomUUID();
      n.runId = id;
      n.nodeIndex = i;
      n.status = NodeStatus.RUNNING.wireName();
      nodes.add(n);
    }
    return InSequence.forEach(nodes, session::persist);
  }

  /**
   * Stores every node's result and its test cases; planned nodes that never reported take {@link
   * TestRunRules#unreportedNode}.
   */
  public Uni<Void> storeNodes(Mutiny.Session session, UUID runId, RunResult result) {
    return session
        .createSelectionQuery("from TestNodeEntity where runId = :r", TestNodeEntity.class)
        .setParameter("r", runId)
        .getResultList()
        .flatMap(
            existing -> {
              Map<Integer, TestNodeEntity> byIndex = new HashMap<>();
              existing.forEach(n -> byIndex.put(n.nodeIndex, n));
              List<Object> created = new ArrayList<>();
              for (NodeResult r : result.nodes()) {
                TestNodeEntity n = byIndex.remove(r.index());
                boolean fresh = n == null;
                if (fresh) {
                  n = new TestNodeEntity();
                  n.id = UUID.randomUUID();
                  n.runId = runId;
                  n.nodeIndex = r.index();
                }
                n.status = r.status().wireName();
                n.exitCode = r.exitCode();
                n.durationMs = r.duration() == null ? null : r.duration().toMillis();
                n.message = r.message();
                if (fresh) {
                  created.add(n);
                }
                int seq = 0;
                for (TestCaseResult c : r.cases()) {
                  TestCaseEntity ce = new TestCaseEntity();
                  ce.id = UUID.randomUUID();
                  ce.runId = runId;
                  ce.nodeIndex = r.index();
                  ce.seq = seq++;
                  ce.suite = c.suite();
                  ce.name = c.name();
                  ce.outcome = c.outcome().name().toLowerCase(Locale.ROOT);
                  ce.durationMs = c.duration() == null ? null : c.duration().toMillis();
                  ce.message = c.message();
                  created.add(ce);
                }
              }
              String leftover = TestRunRules.unreportedNode(result.phase()).wireName();
              byIndex.values().forEach(n -> n.status = leftover);
              return InSequence.forEach(created, session::persist);
            });
  }

  /** Ends a run now in {@code phase}, with its message and counts. */
  public Uni<TestRun> end(
      Mutiny.Session session, UUID id, TestRunPhase phase, String message, TestRun.Counts counts) {
    return session
        .find(TestRunEntity.class, id)
        .map(
            e -> {
              e.status = phase.wireName();
              e.message = message;
              e.finishedAt = now();
              e.passed = counts.passed();
              e.failed = counts.failed();
              e.skipped = counts.skipped();
              return toDomain(e);
            });
  }

  /** Marks a started run for cancellation; its worker stops the nodes. */
  public Uni<TestRun> markCancelRequested(Mutiny.Session session, UUID id) {
    return session
        .find(TestRunEntity.class, id)
        .map(
            e -> {
              e.cancelRequested = true;
              return toDomain(e);
            });
  }

  /** Whether someone asked to cancel this run. */
  public Uni<Boolean> cancelRequested(Mutiny.Session session, UUID id) {
    return session.find(TestRunEntity.class, id).map(e -> e != null && e.cancelRequested);
  }

  /**
   * The failed test cases of the commit's other failed runs in the pipeline, by run: what a run
   * that passes them reveals as flaky.
   */
  public Uni<List<FlakyDetection.FailedCase>> failedBefore(Mutiny.Session session, TestRun run) {
    return session
        .createSelectionQuery(
            "from TestCaseEntity where outcome = 'failed' and runId in (select id from"
                + " TestRunEntity where pipelineId = :p and commitSha = :sha and status = 'failed'"
                + " and id <> :id) order by runId",
            TestCaseEntity.class)
        .setParameter("p", run.pipelineId())
        .setParameter("sha", run.commitSha())
        .setParameter("id", run.id())
        .getResultList()
        .map(
            rows ->
                rows.stream()
                    .map(c -> new FlakyDetection.FailedCase(c.runId, c.suite, c.name))
                    .toList());
  }

  /** Records each case as flaky: failed in its run, passed in {@code passedIn}. */
  public Uni<List<FlakyTest>> recordFlaky(
      Mutiny.Session session, TestRun passedIn, List<FlakyDetection.FailedCase> cases) {
    List<FlakyTestEntity> rows =
        cases.stream()
            .map(
                c -> {
                  FlakyTestEntity f = new FlakyTestEntity();
                  f.id = UUID.randomUUID();
                  f.pipelineId = passedIn.pipelineId();
                  f.commitSha = passedIn.commitSha();
                  f.suite = c.suite();
                  f.name = c.name();
                  f.failedRunId = c.runId();
                  f.passedRunId = passedIn.id();
                  f.detectedAt = now();
                  return f;
                })
            .toList();
    return InSequence.forEach(rows, session::persist)
        .map(v -> rows.stream().map(TestRunStore::toDomain).toList());
  }

  /**
   * The started runs (creating, building or running) whose owner instance {@code abandonment} calls
   * gone.
   */
  public Uni<List<TestRun>> abandoned(Mutiny.Session session, Abandonment abandonment) {
    return session
        .createSelectionQuery("from TestRunEntity where status in :active", TestRunEntity.class)
        .setParameter("active", ACTIVE)
        .getResultList()
        .map(
            list ->
                list.stream()
                    .filter(e -> abandonment.abandoned(e.ownerInstance))
                    .map(TestRunStore::toDomain)
                    .toList());
  }

  /** Which of {@code ids} are runs that have not ended (pending or started). */
  public Uni<List<UUID>> unended(Mutiny.Session session, java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return session
        .createSelectionQuery(
            "select id from TestRunEntity where id in :ids and status not in :ended", UUID.class)
        .setParameter("ids", ids)
        .setParameter(
            "ended",
            java.util.Arrays.stream(TestRunPhase.values())
                .filter(TestRunPhase::isTerminal)
                .map(TestRunPhase::wireName)
                .toList())
        .getResultList();
  }

  public Uni<Optional<TestRun>> find(Mutiny.Session session, UUID id) {
    return session
        .find(TestRunEntity.class, id)
        .map(e -> Optional.ofNullable(e).map(TestRunStore::toDomain));
  }

  /** A pipeline's runs, newest first. */
  public Uni<List<TestRun>> list(Mutiny.Session session, UUID pipelineId, int offset, int limit) {
    return session
        .createSelectionQuery(
            "from TestRunEntity where pipelineId = :p order by number desc", TestRunEntity.class)
        .setParameter("p", pipelineId)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList()
        .map(list -> list.stream().map(TestRunStore::toDomain).toList());
  }

  /** A run's nodes by index. */
  public Uni<List<TestNode>> nodes(Mutiny.Session session, UUID runId) {
    return session
        .createSelectionQuery(
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
                    .toList());
  }

  /** A run's test cases in the order its nodes reported them, optionally of one outcome. */
  public Uni<List<TestCase>> cases(Mutiny.Session session, UUID runId, TestOutcome outcome) {
    String hql =
        "from TestCaseEntity where runId = :r"
            + (outcome == null ? "" : " and outcome = :o")
            + " order by nodeIndex, seq";
    var q = session.createSelectionQuery(hql, TestCaseEntity.class).setParameter("r", runId);
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
  }

  /** The flaky test cases seen in a pipeline, newest first. */
  public Uni<List<FlakyTest>> flaky(Mutiny.Session session, UUID pipelineId, int limit) {
    return session
        .createSelectionQuery(
            "from FlakyTestEntity where pipelineId = :p order by detectedAt desc",
            FlakyTestEntity.class)
        .setParameter("p", pipelineId)
        .setMaxResults(limit)
        .getResultList()
        .map(list -> list.stream().map(TestRunStore::toDomain).toList());
  }

  /** How many runs wait for a worker. */
  public Uni<Long> pendingCount(Mutiny.Session session) {
    return session
        .createSelectionQuery(
            "select count(*) from TestRunEntity where status = 'pending'", Long.class)
        .getSingleResult();
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  private static TestRun toDomain(TestRunEntity e) {
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

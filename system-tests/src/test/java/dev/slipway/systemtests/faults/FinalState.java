package dev.slipway.systemtests.faults;

import dev.slipway.systemtests.faults.Flow.Pipeline;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * The state every fault test must end in, the same as without faults: every push built exactly
 * once, at most one test run per build, staging on each pipeline's newest green commit, every
 * promotion completed, nothing left in a non-terminal state, no unpublished outbox row and no dead
 * letter. It waits up to a bound for the platform to get there, then reports what it counted.
 */
final class FinalState {

  static final List<String> SCHEMAS =
      List.of("build_service", "test_service", "deploy_service", "promotion_service");

  private final Platform platform;

  FinalState(Platform platform) {
    this.platform = platform;
  }

  /** What the check counted, printed by every fault test. */
  record Counts(
      int pipelines,
      int pushes,
      int builds,
      int testRuns,
      int releases,
      int promotions,
      int reviewApps,
      long events,
      long deadLetters) {}

  /**
   * Waits up to {@code bound} for the final state; throws naming every broken promise when it is
   * not reached. Returns the counts.
   */
  Counts await(List<Pipeline> pipelines, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    List<String> broken = List.of("not checked");
    Counts counts = null;
    while (System.nanoTime() < deadline) {
      try {
        List<String> found = new ArrayList<>();
        counts = check(pipelines, found);
        broken = found;
        if (broken.isEmpty()) {
          System.out.println("[final state] " + counts);
          return counts;
        }
      } catch (Exception e) {
        broken = List.of("could not check: " + e);
      }
      Thread.sleep(2000);
    }
    throw new AssertionError(
        "not in the final state after "
            + bound
            + " ("
            + counts
            + "):\n"
            + String.join("\n", broken));
  }

  private Counts check(List<Pipeline> pipelines, List<String> broken) throws Exception {
    int pushes = 0;
    int builds = 0;
    int testRuns = 0;
    int releases = 0;
    int promotions = 0;
    int reviewApps = 0;
    try (Connection db = platform.database()) {
      for (Pipeline p : pipelines) {
        UUID id = UUID.fromString(p.id());
        Set<String> pushed = Set.copyOf(p.pushed());
        pushes += p.pushed().size();
        Map<String, Long> buildsPerCommit =
            groupCount(
                db,
                "SELECT commit_sha, count(*) FROM build_service.build"
                    + " WHERE pipeline_id = ? AND pr_number IS NULL GROUP BY commit_sha",
                id);
        builds += buildsPerCommit.values().stream().mapToInt(Long::intValue).sum();
        for (String sha : pushed) {
          long n = buildsPerCommit.getOrDefault(sha, 0L);
          if (n != 1) {
            broken.add(p.name() + ": push of " + sha + " has " + n + " builds, not 1");
          }
        }
        buildsPerCommit.keySet().stream()
            .filter(sha -> !pushed.contains(sha))
            .forEach(sha -> broken.add(p.name() + ": a build of " + sha + ", never pushed"));
        Map<String, Long> runsPerBuild =
            groupCount(
                db,
                "SELECT build_id, count(*) FROM test_service.test_run"
                    + " WHERE pipeline_id = ? GROUP BY build_id",
                id);
        testRuns += runsPerBuild.values().stream().mapToInt(Long::intValue).sum();
        runsPerBuild.forEach(
            (build, n) -> {
              if (n > 1) {
                broken.add(p.name() + ": build " + build + " has " + n + " test runs");
              }
            });
        nonTerminal(
            db,
            broken,
            p.name() + ": builds",
            "SELECT count(*) FROM build_service.build WHERE pipeline_id = ?"
                + " AND status IN ('queued', 'running')",
            id);
        nonTerminal(
            db,
            broken,
            p.name() + ": test runs",
            "SELECT count(*) FROM test_service.test_run WHERE pipeline_id = ?"
                + " AND status IN ('pending', 'creating', 'building', 'running')",
            id);
        nonTerminal(
            db,
            broken,
            p.name() + ": releases",
            "SELECT count(*) FROM deploy_service.release r JOIN deploy_service.app a"
                + " ON a.name = r.app_name WHERE a.pipeline_id = ? AND r.status = 'pending'",
            id);
        nonTerminal(
            db,
            broken,
            p.name() + ": review apps",
            "SELECT count(*) FROM deploy_service.review_app WHERE pipeline_id = ?"
                + " AND status IN ('pending', 'creating', 'deleting')",
            id);
        nonTerminal(
            db,
            broken,
            p.name() + ": promotions",
            "SELECT count(*) FROM promotion_service.promotion WHERE pipeline_id = ?"
                + " AND status <> 'completed'",
            id);
        releases +=
            (int)
                count(
                    db,
                    "SELECT count(*) FROM deploy_service.release r JOIN deploy_service.app a"
                        + " ON a.name = r.app_name WHERE a.pipeline_id = ?",
                    id);
        promotions +=
            (int)
                count(
                    db,
                    "SELECT count(*) FROM promotion_service.promotion WHERE pipeline_id = ?",
                    id);
        reviewApps +=
            (int)
                count(
                    db, "SELECT count(*) FROM deploy_service.review_app WHERE pipeline_id = ?", id);
        String staged = stagedCommit(db, p);
        if (!p.newest().equals(staged)) {
          broken.add(p.name() + ": staging runs " + staged + ", not the newest " + p.newest());
        }
      }
      long events = 0;
      for (String schema : SCHEMAS) {
        events += count(db, "SELECT count(*) FROM " + schema + ".outbox_event", null);
        long unpublished =
            count(
                db,
                "SELECT count(*) FROM " + schema + ".outbox_event WHERE published_at IS NULL",
                null);
        if (unpublished > 0) {
          broken.add(schema + ": " + unpublished + " outbox events not published");
        }
      }
      long deadLetters = deadLetters();
      if (deadLetters > 0) {
        broken.add(deadLetters + " records on dead-letter topics");
      }
      return new Counts(
          pipelines.size(),
          pushes,
          builds,
          testRuns,
          releases,
          promotions,
          reviewApps,
          events,
          deadLetters);
    }
  }

  /**
   * The time from {@code fault} until a build, test run or release of {@code pipelines} next
   * finished after the fault was over ({@code over}): when the flow moved again. Waits up to {@code
   * bound}.
   */
  Duration awaitFlowMoving(List<Pipeline> pipelines, Instant fault, Instant over, Duration bound)
      throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    Object[] ids = pipelines.stream().map(p -> UUID.fromString(p.id())).toArray();
    String sql =
        "SELECT min(t) FROM ("
            + " SELECT finished_at t FROM build_service.build WHERE pipeline_id = ANY (?)"
            + " UNION ALL SELECT finished_at FROM test_service.test_run WHERE pipeline_id = ANY (?)"
            + " UNION ALL SELECT r.finished_at FROM deploy_service.release r"
            + " JOIN deploy_service.app a ON a.name = r.app_name WHERE a.pipeline_id = ANY (?)"
            + ") moved WHERE t > ?";
    while (System.nanoTime() < deadline) {
      try (Connection db = platform.database();
          PreparedStatement s = db.prepareStatement(sql)) {
        for (int i = 1; i <= 3; i++) {
          s.setArray(i, db.createArrayOf("uuid", ids));
        }
        s.setTimestamp(4, Timestamp.from(over));
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getTimestamp(1) != null) {
            Duration moved = Duration.between(fault, rs.getTimestamp(1).toInstant());
            System.out.println("[final state] the flow moved again " + moved + " after the fault");
            return moved;
          }
        }
      } catch (java.sql.SQLException e) {
        // PostgreSQL itself may be the fault: try again
      }
      Thread.sleep(500);
    }
    throw new AssertionError("nothing finished within " + bound + " of the fault");
  }

  /** The commit of the build whose artifact the staging app's newest succeeded release runs. */
  private static String stagedCommit(Connection db, Pipeline p) throws Exception {
    try (PreparedStatement s =
        db.prepareStatement(
            "SELECT b.commit_sha FROM deploy_service.release r"
                + " JOIN build_service.build b ON b.artifact_digest = r.artifact_digest"
                + " WHERE r.app_name = ? AND r.status = 'succeeded' AND b.pipeline_id = ?"
                + " ORDER BY r.version DESC, b.finished_at DESC LIMIT 1")) {
      s.setString(1, p.staging());
      s.setObject(2, UUID.fromString(p.id()));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Records on every dead-letter topic ({@code slipway.dlq.*}). */
  private long deadLetters() throws Exception {
    try (Admin admin = Admin.create(platform.kafkaAdmin())) {
      Set<String> topics =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith("slipway.dlq."))
              .collect(Collectors.toSet());
      if (topics.isEmpty()) {
        return 0;
      }
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
        d.partitions()
            .forEach(
                part -> {
                  TopicPartition tp = new TopicPartition(d.name(), part.partition());
                  earliest.put(tp, OffsetSpec.earliest());
                  latest.put(tp, OffsetSpec.latest());
                });
      }
      var from = admin.listOffsets(earliest).all().get();
      var to = admin.listOffsets(latest).all().get();
      return to.entrySet().stream()
          .mapToLong(e -> e.getValue().offset() - from.get(e.getKey()).offset())
          .sum();
    }
  }

  private static void nonTerminal(
      Connection db, List<String> broken, String what, String sql, UUID pipeline) throws Exception {
    long n = count(db, sql, pipeline);
    if (n > 0) {
      broken.add(what + ": " + n + " not in a terminal state");
    }
  }

  private static long count(Connection db, String sql, UUID pipeline) throws Exception {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      if (pipeline != null) {
        s.setObject(1, pipeline);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Map<String, Long> groupCount(Connection db, String sql, UUID pipeline)
      throws Exception {
    Map<String, Long> counts = new HashMap<>();
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setObject(1, pipeline);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return counts;
  }
}

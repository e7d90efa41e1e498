package dev.slipway.promotion.history.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Upserts the history projections. Topics are not ordered with respect to each other and an event
 * may be redelivered, so every statement is an {@code INSERT … ON CONFLICT} that only moves a row
 * forward: a late {@code queued} never undoes a {@code finished}, an older state never overwrites a
 * newer one.
 */
@ApplicationScoped
public class HistoryProjections {

  // A terminal status outranks any other whatever the clocks say; among equal ranks the later wins.
  private static final String TEST_RUN_RANK =
      "CASE WHEN %s IN ('succeeded', 'failed', 'errored', 'cancelled') THEN 1 ELSE 0 END";
  private static final String REVIEW_APP_RANK = "CASE WHEN %s = 'deleted' THEN 1 ELSE 0 END";

  private final String buildQueued;
  private final String buildStarted;
  private final String buildFinished;
  private final String testRun;
  private final String releaseCreated;
  private final String releaseFinished;
  private final String push;
  private final String reviewApp;

  public HistoryProjections(@ConfigProperty(name = "slipway.schema") String schema) {
    // The reactive pool's search_path is not the service's schema, so native SQL names it.
    String s = schema + ".";
    buildQueued =
        "INSERT INTO "
            + s
            + "build_view AS b (build_id, pipeline_id, commit_sha, branch, pr_number, fork,"
            + " status, queued_at) VALUES (?1, ?2, ?3, ?4, CAST(?5 AS INT), ?6, 'queued', ?7)"
            + " ON CONFLICT (build_id) DO UPDATE SET commit_sha = EXCLUDED.commit_sha,"
            + " branch = EXCLUDED.branch, pr_number = EXCLUDED.pr_number, fork = EXCLUDED.fork,"
            + " queued_at = EXCLUDED.queued_at, status = CASE WHEN b.started_at IS NULL AND"
            + " b.finished_at IS NULL THEN 'queued' ELSE b.status END";
    buildStarted =
        "INSERT INTO "
            + s
            + "build_view AS b (build_id, pipeline_id, commit_sha, branch, pr_number, fork,"
            + " status, started_at) VALUES (?1, ?2, ?3, ?4, CAST(?5 AS INT), ?6, 'started', ?7)"
            + " ON CONFLICT (build_id) DO UPDATE SET commit_sha = EXCLUDED.commit_sha,"
            + " branch = EXCLUDED.branch, pr_number = EXCLUDED.pr_number, fork = EXCLUDED.fork,"
            + " started_at = EXCLUDED.started_at, status = CASE WHEN b.finished_at IS NULL"
            + " THEN 'started' ELSE b.status END";
    buildFinished =
        "INSERT INTO "
            + s
            + "build_view AS b (build_id, pipeline_id, commit_sha, branch, pr_number, fork,"
            + " status, artifact_digest, finished_at) VALUES (?1, ?2, ?3, ?4, CAST(?5 AS INT), ?6,"
            + " ?7, CAST(?8 AS TEXT), ?9) ON CONFLICT (build_id) DO UPDATE SET"
            + " commit_sha = EXCLUDED.commit_sha, branch = EXCLUDED.branch,"
            + " pr_number = EXCLUDED.pr_number, fork = EXCLUDED.fork, status = EXCLUDED.status,"
            + " artifact_digest = EXCLUDED.artifact_digest, finished_at = EXCLUDED.finished_at";
    testRun =
        "INSERT INTO "
            + s
            + "test_run_view AS t (test_run_id, pipeline_id, number, build_id, commit_sha, branch,"
            + " status, message, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS TEXT),"
            + " ?9) ON CONFLICT (test_run_id) DO UPDATE SET number = EXCLUDED.number,"
            + " build_id = EXCLUDED.build_id, commit_sha = EXCLUDED.commit_sha,"
            + " branch = EXCLUDED.branch, status = EXCLUDED.status, message = EXCLUDED.message,"
            + " updated_at = EXCLUDED.updated_at WHERE ("
            + TEST_RUN_RANK.formatted("EXCLUDED.status")
            + ", EXCLUDED.updated_at) >= ("
            + TEST_RUN_RANK.formatted("t.status")
            + ", t.updated_at)";
    releaseCreated =
        "INSERT INTO "
            + s
            + "release_view AS r (release_id, pipeline_id, app_name, version, artifact_digest,"
            + " status, description, cause, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            + " ON CONFLICT (release_id) DO UPDATE SET created_at = EXCLUDED.created_at,"
            + " status = CASE WHEN r.finished_at IS NULL THEN EXCLUDED.status ELSE r.status END";
    releaseFinished =
        "INSERT INTO "
            + s
            + "release_view AS r (release_id, pipeline_id, app_name, version, artifact_digest,"
            + " status, description, cause, finished_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            + " ON CONFLICT (release_id) DO UPDATE SET artifact_digest = EXCLUDED.artifact_digest,"
            + " status = EXCLUDED.status, description = EXCLUDED.description,"
            + " cause = EXCLUDED.cause, finished_at = EXCLUDED.finished_at";
    // The first push of a commit is the one lead time counts from.
    push =
        "INSERT INTO "
            + s
            + "push_view (pipeline_id, branch, after_sha, before_sha, pushed_at)"
            + " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
    reviewApp =
        "INSERT INTO "
            + s
            + "review_app_view AS a (environment_id, pipeline_id, app_name, pr_number, status, url,"
            + " updated_at) VALUES (?1, ?2, ?3, CAST(?4 AS INT), ?5, CAST(?6 AS TEXT), ?7)"
            + " ON CONFLICT (environment_id) DO UPDATE SET app_name = EXCLUDED.app_name,"
            + " pr_number = EXCLUDED.pr_number, status = EXCLUDED.status, url = EXCLUDED.url,"
            + " updated_at = EXCLUDED.updated_at WHERE ("
            + REVIEW_APP_RANK.formatted("EXCLUDED.status")
            + ", EXCLUDED.updated_at) >= ("
            + REVIEW_APP_RANK.formatted("a.status")
            + ", a.updated_at)";
  }

  /** What every build event carries about the build, whatever its stage. */
  public record BuildFacts(
      String buildId,
      String pipelineId,
      String commitSha,
      String branch,
      Integer prNumber,
      boolean fork) {}

  public Uni<Void> buildQueued(Mutiny.Session session, BuildFacts build, Instant queuedAt) {
    return run(session, buildQueued, facts(build, at(queuedAt)));
  }

  public Uni<Void> buildStarted(Mutiny.Session session, BuildFacts build, Instant startedAt) {
    return run(session, buildStarted, facts(build, at(startedAt)));
  }

  public Uni<Void> buildFinished(
      Mutiny.Session session,
      BuildFacts build,
      String status,
      String artifactDigest,
      Instant finishedAt) {
    return run(session, buildFinished, facts(build, status, artifactDigest, at(finishedAt)));
  }

  public Uni<Void> testRun(
      Mutiny.Session session,
      String testRunId,
      String pipelineId,
      int number,
      String buildId,
      String commitSha,
      String branch,
      String status,
      String message,
      Instant updatedAt) {
    return run(
        session,
        testRun,
        testRunId,
        pipelineId,
        number,
        buildId,
        commitSha,
        branch,
        status,
        message,
        at(updatedAt));
  }

  /** A release as of its {@code created} ({@code finished} false) or {@code finished} event. */
  public Uni<Void> release(
      Mutiny.Session session,
      boolean finished,
      String releaseId,
      String pipelineId,
      String appName,
      int version,
      String artifactDigest,
      String status,
      String description,
      String cause,
      Instant at) {
    return run(
        session,
        finished ? releaseFinished : releaseCreated,
        releaseId,
        pipelineId,
        appName,
        version,
        artifactDigest,
        status,
        description,
        cause,
        at(at));
  }

  public Uni<Void> push(
      Mutiny.Session session,
      String pipelineId,
      String branch,
      String afterSha,
      String beforeSha,
      Instant pushedAt) {
    return run(session, push, pipelineId, branch, afterSha, beforeSha, at(pushedAt));
  }

  public Uni<Void> reviewApp(
      Mutiny.Session session,
      String environmentId,
      String pipelineId,
      String appName,
      Integer prNumber,
      String status,
      String url,
      Instant updatedAt) {
    return run(
        session,
        reviewApp,
        environmentId,
        pipelineId,
        appName,
        prNumber,
        status,
        url,
        at(updatedAt));
  }

  private static Object[] facts(BuildFacts build, Object... rest) {
    Object[] values = new Object[6 + rest.length];
    values[0] = build.buildId();
    values[1] = build.pipelineId();
    values[2] = build.commitSha();
    values[3] = build.branch();
    values[4] = build.prNumber();
    values[5] = build.fork();
    System.arraycopy(rest, 0, values, 6, rest.length);
    return values;
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Uni<Void> run(Mutiny.Session session, String sql, Object... values) {
    Mutiny.Query<Object> query = session.createNativeQuery(sql);
    for (int i = 0; i < values.length; i++) {
      query.setParameter(i + 1, values[i]);
    }
    return query.executeUpdate().replaceWithVoid();
  }
}

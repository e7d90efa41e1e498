package dev.slipway.promotion.history;

import dev.slipway.promotion.history.persistence.BuildViewEntity;
import dev.slipway.promotion.history.persistence.PushViewEntity;
import dev.slipway.promotion.history.persistence.ReleaseViewEntity;
import dev.slipway.promotion.history.persistence.ReviewAppViewEntity;
import dev.slipway.promotion.history.persistence.TestRunViewEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Read-only queries over the history projections (builds, test runs, releases, pushes, review
 * apps), for the overview, the DORA metrics and the promotion gates. Every method runs in the
 * caller's session, so a caller can read the history in its own transaction.
 */
@ApplicationScoped
public class History {

  private final String pipelineById;
  private final String couplingsOf;
  private final String pipelineIds;

  public History(@ConfigProperty(name = "slipway.schema") String schema) {
    // The reactive pool's search_path is not the service's schema, so native SQL names it.
    pipelineById = "SELECT name, branch FROM " + schema + ".pipeline WHERE id = ?1";
    couplingsOf =
        "SELECT stage, app_name FROM "
            + schema
            + ".pipeline_coupling WHERE pipeline_id = ?1 ORDER BY app_name";
    pipelineIds = "SELECT CAST(id AS TEXT) FROM " + schema + ".pipeline ORDER BY id";
  }

  /** The current release of {@code appName}: its succeeded release with the highest version. */
  public Uni<Optional<ReleaseRecord>> latestSucceededRelease(
      Mutiny.Session session, String appName) {
    return session
        .createSelectionQuery(
            "from ReleaseViewEntity where appName = :app and status = 'succeeded'"
                + " order by version desc",
            ReleaseViewEntity.class)
        .setParameter("app", appName)
        .setMaxResults(1)
        .getResultList()
        .map(rows -> rows.stream().findFirst().map(ReleaseViewEntity::toRecord));
  }

  /** Release {@code version} of {@code appName}, whatever its status. */
  public Uni<Optional<ReleaseRecord>> release(Mutiny.Session session, String appName, int version) {
    return session
        .createSelectionQuery(
            "from ReleaseViewEntity where appName = :app and version = :version"
                + " order by releaseId",
            ReleaseViewEntity.class)
        .setParameter("app", appName)
        .setParameter("version", version)
        .setMaxResults(1)
        .getResultList()
        .map(rows -> rows.stream().findFirst().map(ReleaseViewEntity::toRecord));
  }

  /** The succeeded build that produced {@code artifactDigest} (the earliest, if several did). */
  public Uni<Optional<BuildRecord>> buildOfArtifact(Mutiny.Session session, String artifactDigest) {
    return buildsOfArtifacts(session, List.of(artifactDigest))
        .map(builds -> Optional.ofNullable(builds.get(artifactDigest)));
  }

  /** The latest test run (highest number) of {@code commitSha} in a pipeline. */
  public Uni<Optional<TestRunRecord>> latestTestRun(
      Mutiny.Session session, String pipelineId, String commitSha) {
    return latestTestRuns(session, pipelineId, List.of(commitSha))
        .map(runs -> Optional.ofNullable(runs.get(commitSha)));
  }

  /** For each digest with a succeeded build, that build (the earliest finished). */
  public Uni<Map<String, BuildRecord>> buildsOfArtifacts(
      Mutiny.Session session, Collection<String> artifactDigests) {
    if (artifactDigests.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return session
        .createSelectionQuery(
            "from BuildViewEntity where artifactDigest in :digests and status = 'succeeded'"
                + " order by finishedAt, buildId",
            BuildViewEntity.class)
        .setParameter("digests", artifactDigests)
        .getResultList()
        .map(
            rows -> {
              Map<String, BuildRecord> byDigest = new HashMap<>();
              rows.forEach(b -> byDigest.putIfAbsent(b.artifactDigest, b.toRecord()));
              return byDigest;
            });
  }

  /** For each commit with a test run in the pipeline, its latest run. */
  public Uni<Map<String, TestRunRecord>> latestTestRuns(
      Mutiny.Session session, String pipelineId, Collection<String> commitShas) {
    if (commitShas.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return session
        .createSelectionQuery(
            "from TestRunViewEntity where pipelineId = :pipeline and commitSha in :shas",
            TestRunViewEntity.class)
        .setParameter("pipeline", pipelineId)
        .setParameter("shas", commitShas)
        .getResultList()
        .map(
            rows -> {
              Comparator<TestRunRecord> newest =
                  Comparator.comparing(
                          TestRunRecord::number, Comparator.nullsFirst(Comparator.naturalOrder()))
                      .thenComparing(TestRunRecord::updatedAt);
              Map<String, TestRunRecord> bySha = new HashMap<>();
              rows.stream()
                  .map(TestRunViewEntity::toRecord)
                  .forEach(
                      r ->
                          bySha.merge(
                              r.commitSha(), r, (a, b) -> newest.compare(a, b) >= 0 ? a : b));
              return bySha;
            });
  }

  /** Every release of these apps, ordered by app and version. */
  public Uni<List<ReleaseRecord>> releasesOf(Mutiny.Session session, Collection<String> apps) {
    if (apps.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return session
        .createSelectionQuery(
            "from ReleaseViewEntity where appName in :apps order by appName, version",
            ReleaseViewEntity.class)
        .setParameter("apps", apps)
        .getResultList()
        .map(rows -> rows.stream().map(ReleaseViewEntity::toRecord).toList());
  }

  /** The current release of each of these apps that has one. */
  public Uni<Map<String, ReleaseRecord>> currentReleases(
      Mutiny.Session session, Collection<String> apps) {
    if (apps.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return session
        .createSelectionQuery(
            "from ReleaseViewEntity r where r.appName in :apps and r.status = 'succeeded'"
                + " and r.version = (select max(o.version) from ReleaseViewEntity o"
                + " where o.appName = r.appName and o.status = 'succeeded')",
            ReleaseViewEntity.class)
        .setParameter("apps", apps)
        .getResultList()
        .map(
            rows -> {
              Map<String, ReleaseRecord> byApp = new HashMap<>();
              rows.forEach(r -> byApp.put(r.appName, r.toRecord()));
              return byApp;
            });
  }

  /** The pipeline's builds that have not finished, oldest first. */
  public Uni<List<BuildRecord>> buildsInFlight(Mutiny.Session session, String pipelineId) {
    return session
        .createSelectionQuery(
            "from BuildViewEntity where pipelineId = :pipeline and finishedAt is null"
                + " order by coalesce(queuedAt, startedAt), buildId",
            BuildViewEntity.class)
        .setParameter("pipeline", pipelineId)
        .getResultList()
        .map(rows -> rows.stream().map(BuildViewEntity::toRecord).toList());
  }

  /** The pipeline's review apps that are not deleted, by pull request number. */
  public Uni<List<ReviewAppRecord>> openReviewApps(Mutiny.Session session, String pipelineId) {
    return session
        .createSelectionQuery(
            "from ReviewAppViewEntity where pipelineId = :pipeline and status <> 'deleted'"
                + " order by prNumber, environmentId",
            ReviewAppViewEntity.class)
        .setParameter("pipeline", pipelineId)
        .getResultList()
        .map(rows -> rows.stream().map(ReviewAppViewEntity::toRecord).toList());
  }

  /** The pushes to a branch of the pipeline, in the order they were pushed. */
  public Uni<List<PushRecord>> pushes(Mutiny.Session session, String pipelineId, String branch) {
    return session
        .createSelectionQuery(
            "from PushViewEntity where pipelineId = :pipeline and branch = :branch"
                + " order by pushedAt, afterSha",
            PushViewEntity.class)
        .setParameter("pipeline", pipelineId)
        .setParameter("branch", branch)
        .getResultList()
        .map(rows -> rows.stream().map(PushViewEntity::toRecord).toList());
  }

  /** For each of these commits pushed to any branch of the pipeline, when it was first pushed. */
  public Uni<Map<String, Instant>> firstPushes(
      Mutiny.Session session, String pipelineId, Collection<String> commitShas) {
    if (commitShas.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return session
        .createSelectionQuery(
            "from PushViewEntity where pipelineId = :pipeline and afterSha in :shas",
            PushViewEntity.class)
        .setParameter("pipeline", pipelineId)
        .setParameter("shas", commitShas)
        .getResultList()
        .map(
            rows -> {
              Map<String, Instant> bySha = new HashMap<>();
              rows.forEach(
                  p -> bySha.merge(p.afterSha, p.pushedAt, (a, b) -> a.isBefore(b) ? a : b));
              return bySha;
            });
  }

  /** The pipeline's name, branch and couplings, or empty when there is no such pipeline. */
  public Uni<Optional<PipelineLayout>> pipeline(Mutiny.Session session, UUID pipelineId) {
    return session
        .createNativeQuery(pipelineById, Object[].class)
        .setParameter(1, pipelineId)
        .getResultList()
        .chain(
            rows -> {
              if (rows.isEmpty()) {
                return Uni.createFrom().item(Optional.<PipelineLayout>empty());
              }
              String name = (String) rows.get(0)[0];
              String branch = (String) rows.get(0)[1];
              return session
                  .createNativeQuery(couplingsOf, Object[].class)
                  .setParameter(1, pipelineId)
                  .getResultList()
                  .map(
                      couplings ->
                          Optional.of(
                              new PipelineLayout(
                                  pipelineId,
                                  name,
                                  branch,
                                  couplings.stream()
                                      .map(
                                          c ->
                                              new PipelineLayout.Coupling(
                                                  (String) c[0], (String) c[1]))
                                      .toList())));
            });
  }

  /** The ids of every pipeline. */
  public Uni<List<UUID>> pipelineIds(Mutiny.Session session) {
    return session
        .createNativeQuery(pipelineIds, String.class)
        .getResultList()
        .map(ids -> ids.stream().map(UUID::fromString).toList());
  }
}

package dev.slipway.deploy.artifacts;

import dev.slipway.deploy.Json;
import dev.slipway.deploy.artifacts.persistence.ArtifactEntity;
import dev.slipway.deploy.artifacts.persistence.PassedBuildEntity;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.platform.persistence.AdvisoryLocks;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** The artifacts succeeded builds produced: what a release can run, by digest or by build. */
@ApplicationScoped
public class Artifacts {

  private final Mutiny.SessionFactory sessionFactory;

  public Artifacts(Mutiny.SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /**
   * Remembers the slug of a succeeded build; true when it was new (a repeated build.finished of the
   * same build changes nothing; another build with a byte-identical slug is new).
   */
  public Uni<Boolean> record(Mutiny.Session session, BuildFinished build) {
    if (build.status() != BuildStatus.SUCCEEDED
        || build.artifactDigest() == null
        || build.artifact() == null) {
      return Uni.createFrom().item(false);
    }
    return lockBuild(session, UUID.fromString(build.buildId()))
        .chain(() -> session.find(ArtifactEntity.class, UUID.fromString(build.buildId())))
        .flatMap(
            existing -> {
              if (existing != null) {
                return Uni.createFrom().item(false);
              }
              ArtifactEntity e = new ArtifactEntity();
              e.digest = build.artifactDigest();
              e.uri = build.artifact().uri();
              e.size = build.artifact().size();
              e.processTypes = Json.write(build.artifact().processTypes());
              e.buildId = UUID.fromString(build.buildId());
              e.pipelineId = UUID.fromString(build.pipelineId());
              e.commitSha = build.commitSha();
              e.branch = build.branch();
              e.prNumber = build.prNumber();
              e.fork = build.fork();
              e.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
              e.queuedAt =
                  build.queuedAt() == null
                      ? e.createdAt
                      : OffsetDateTime.ofInstant(build.queuedAt(), ZoneOffset.UTC);
              e.appJson = build.artifact().appJson();
              // Its test run may have succeeded before this event arrived (another topic).
              return session
                  .find(PassedBuildEntity.class, e.buildId)
                  .invoke(passed -> e.testsPassed = passed != null)
                  .flatMap(passed -> session.persist(e))
                  .replaceWith(true);
            });
  }

  /**
   * Marks a build's artifact as tested green and returns it; when the build.finished has not
   * arrived yet, remembers the success for when it does and returns empty.
   */
  public Uni<Optional<ArtifactEntity>> testsPassed(
      Mutiny.Session session, UUID buildId, int runNumber) {
    return lockBuild(session, buildId)
        .chain(() -> ofBuild(session, buildId))
        .flatMap(
            a -> {
              if (a.isPresent()) {
                a.get().testsPassed = true;
                return Uni.createFrom().item(a);
              }
              return session
                  .find(PassedBuildEntity.class, buildId)
                  .flatMap(
                      known -> {
                        if (known != null) {
                          return Uni.createFrom().item(Optional.<ArtifactEntity>empty());
                        }
                        PassedBuildEntity p = new PassedBuildEntity();
                        p.buildId = buildId;
                        p.runNumber = runNumber;
                        p.recordedAt = OffsetDateTime.now(ZoneOffset.UTC);
                        return session.persist(p).replaceWith(Optional.<ArtifactEntity>empty());
                      });
            });
  }

  /** The newest artifact of a pull request, green ones only when {@code tested}. */
  public Uni<Optional<ArtifactEntity>> latestOfPullRequest(
      Mutiny.Session session, UUID pipelineId, int prNumber, boolean tested) {
    return session
        .createSelectionQuery(
            "from ArtifactEntity where pipelineId = :p and prNumber = :pr"
                + (tested ? " and testsPassed = true" : "")
                + " order by createdAt desc",
            ArtifactEntity.class)
        .setParameter("p", pipelineId)
        .setParameter("pr", prNumber)
        .setMaxResults(1)
        .getSingleResultOrNull()
        .map(Optional::ofNullable);
  }

  /** The artifact with this digest. */
  public Uni<Optional<ArtifactEntity>> find(String digest) {
    return sessionFactory.withSession(s -> byDigest(s, digest).map(Optional::ofNullable));
  }

  /**
   * The newest build's record of the slug with this digest, or null: what a release runs (the slug,
   * its process types and app.json) is the same whichever build produced the bytes.
   */
  public static Uni<ArtifactEntity> byDigest(Mutiny.Session session, String digest) {
    return session
        .createSelectionQuery(
            "from ArtifactEntity where digest = :d order by createdAt desc", ArtifactEntity.class)
        .setParameter("d", digest)
        .setMaxResults(1)
        .getSingleResultOrNull();
  }

  /** The artifact a build produced. */
  public Uni<Optional<ArtifactEntity>> ofBuild(Mutiny.Session session, UUID buildId) {
    return session
        .createSelectionQuery("from ArtifactEntity where buildId = :b", ArtifactEntity.class)
        .setParameter("b", buildId)
        .setMaxResults(1)
        .getSingleResultOrNull()
        .map(Optional::ofNullable);
  }

  /**
   * A build's build.finished and its test run's verdict arrive on two topics and are applied by two
   * consumers at once: without this lock each transaction misses the other's uncommitted row (the
   * artifact, the early verdict) and neither releases the build.
   */
  private static Uni<Void> lockBuild(Mutiny.Session session, UUID buildId) {
    return AdvisoryLocks.lock(session, "build/" + buildId);
  }
}

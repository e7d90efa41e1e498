package dev.slipway.deploy.artifacts;

import dev.slipway.deploy.Json;
import dev.slipway.deploy.artifacts.persistence.ArtifactEntity;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
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

  /**
   * Remembers the slug of a succeeded build; true when it was new (a repeated build.finished of the
   * same artifact changes nothing).
   */
  public Uni<Boolean> record(Mutiny.Session session, BuildFinished build) {
    if (build.status() != BuildStatus.SUCCEEDED
        || build.artifactDigest() == null
        || build.artifact() == null) {
      return Uni.createFrom().item(false);
    }
    return session
        .find(ArtifactEntity.class, build.artifactDigest())
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
              e.appJson = build.artifact().appJson();
              return session.persist(e).replaceWith(true);
            });
  }

  /** Marks a build's artifact as tested green; returns it if known. */
  public Uni<Optional<ArtifactEntity>> testsPassed(Mutiny.Session session, UUID buildId) {
    return ofBuild(session, buildId)
        .invoke(
            a -> {
              a.ifPresent(e -> e.testsPassed = true);
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

  /** The artifact a build produced. */
  public Uni<Optional<ArtifactEntity>> ofBuild(Mutiny.Session session, UUID buildId) {
    return session
        .createSelectionQuery("from ArtifactEntity where buildId = :b", ArtifactEntity.class)
        .setParameter("b", buildId)
        .setMaxResults(1)
        .getSingleResultOrNull()
        .map(Optional::ofNullable);
  }
}

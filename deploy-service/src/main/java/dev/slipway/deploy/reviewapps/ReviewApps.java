package dev.slipway.deploy.reviewapps;

import dev.slipway.deploy.artifacts.Artifacts;
import dev.slipway.deploy.artifacts.persistence.ArtifactEntity;
import dev.slipway.deploy.releases.ReleaseRefusedException;
import dev.slipway.deploy.reviewapps.persistence.ReviewAppEntity;
import dev.slipway.events.EventType;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.environment.EnvironmentChange;
import dev.slipway.events.environment.EnvironmentKind;
import dev.slipway.events.environment.EnvironmentStatus;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.persistence.AdvisoryLocks;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.work.InSequence;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Review apps with Heroku's semantics: one per open pull request when the pipeline enables them (or
 * asked for by hand), running the newest build of the PR (the newest green one when the pipeline
 * waits for CI); forks wait for an admin's approval; closed or stale ones are destroyed. This class
 * records what should happen; {@code ReviewAppWorker} does the slow part.
 */
@ApplicationScoped
public class ReviewApps {

  private final Mutiny.SessionFactory sessionFactory;
  private final PipelineDirectory pipelines;
  private final Artifacts artifacts;
  private final Outbox outbox;

  public ReviewApps(
      Mutiny.SessionFactory sessionFactory,
      PipelineDirectory pipelines,
      Artifacts artifacts,
      Outbox outbox) {
    this.sessionFactory = sessionFactory;
    this.pipelines = pipelines;
    this.artifacts = artifacts;
    this.outbox = outbox;
  }

  /** The app name of a PR's review app: {@code <pipeline>-pr-<n>}, a DNS label. */
  public static String appName(String pipelineName, int pr) {
    String suffix = "-pr-" + pr;
    String base =
        pipelineName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-");
    base = base.replaceAll("^-+|-+$", "");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "app-" + base;
    }
    base = base.substring(0, Math.min(base.length(), 63 - suffix.length())).replaceAll("-+$", "");
    return base + suffix;
  }

  /** A pull request was opened, reopened or updated: its review app should exist. */
  public Uni<Void> onPullRequestOpen(Mutiny.Session session, PullRequestChange pr) {
    return pipelines
        .find(session, pr.pipelineId())
        .flatMap(
            p -> {
              if (p.isEmpty() || !p.get().reviewApps().enabled()) {
                return Uni.createFrom().voidItem();
              }
              return ensure(session, p.get(), pr.number(), pr.headBranch(), pr.fork())
                  .replaceWithVoid();
            });
  }

  /** A pull request was merged or closed: its review app goes. */
  public Uni<Void> onPullRequestClosed(Mutiny.Session session, PullRequestChange pr) {
    return live(session, UUID.fromString(pr.pipelineId()), pr.number())
        .flatMap(
            r -> {
              r.ifPresent(e -> markDeleting(e));
              return Uni.createFrom().voidItem();
            });
  }

  /** A PR build finished: without wait-for-CI it is what the review app should run now. */
  public Uni<Void> onBuild(Mutiny.Session session, BuildFinished build) {
    if (build.prNumber() == null || build.artifactDigest() == null) {
      return Uni.createFrom().voidItem();
    }
    return refreshDesired(session, UUID.fromString(build.pipelineId()), build.prNumber());
  }

  /** A PR build's tests passed: with wait-for-CI it is what the review app should run now. */
  public Uni<Void> onTestsPassed(Mutiny.Session session, ArtifactEntity artifact) {
    if (artifact.prNumber == null) {
      return Uni.createFrom().voidItem();
    }
    return refreshDesired(session, artifact.pipelineId, artifact.prNumber);
  }

  /** {@code POST /pipelines/{id}/review-apps}: a review app for a PR, asked for by hand. */
  public Uni<ReviewApp> create(String pipelineRef, String branch, int prNumber) {
    return sessionFactory.withTransaction(
        s ->
            pipelines
                .find(s, pipelineRef)
                .flatMap(
                    p -> {
                      if (p.isEmpty()) {
                        return Uni.createFrom()
                            .failure(
                                new ReleaseRefusedException(
                                    404, null, "no pipeline " + pipelineRef));
                      }
                      return ensure(s, p.get(), prNumber, branch, false).map(ReviewApps::toDomain);
                    }));
  }

  /** An admin lets a fork's review app be deployed. */
  public Uni<ReviewApp> approve(UUID id) {
    return sessionFactory.withTransaction(
        s ->
            existing(s, id)
                .flatMap(
                    e -> {
                      e.approved = true;
                      return refreshDesired(s, e).map(v -> toDomain(e));
                    }));
  }

  /** Destroys a review app by hand. */
  public Uni<ReviewApp> destroy(UUID id) {
    return sessionFactory.withTransaction(
        s ->
            existing(s, id)
                .map(
                    e -> {
                      markDeleting(e);
                      return toDomain(e);
                    }));
  }

  public Uni<Optional<ReviewApp>> find(UUID id) {
    return sessionFactory.withSession(
        s ->
            s.find(ReviewAppEntity.class, id)
                .map(e -> Optional.ofNullable(e).map(ReviewApps::toDomain)));
  }

  /** The pipeline's review apps, newest first, deleted ones included. */
  public Uni<List<ReviewApp>> list(UUID pipelineId) {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from ReviewAppEntity where pipelineId = :p order by createdAt desc",
                    ReviewAppEntity.class)
                .setParameter("p", pipelineId)
                .getResultList()
                .map(list -> list.stream().map(ReviewApps::toDomain).toList()));
  }

  /**
   * Marks for deletion every live review app whose last deploy is older than its pipeline's {@code
   * stale_days}; returns how many.
   */
  public Uni<Integer> reapStale(Instant now) {
    return sessionFactory.withTransaction(
        s ->
            s.createSelectionQuery(
                    "from ReviewAppEntity where status in ('created', 'errored', 'pending',"
                        + " 'creating')",
                    ReviewAppEntity.class)
                .getResultList()
                .flatMap(
                    list ->
                        InSequence.fold(
                            list,
                            0,
                            (n, e) ->
                                pipelines
                                    .find(s, e.pipelineId.toString())
                                    .map(
                                        p -> {
                                          int days =
                                              p.map(x -> x.reviewApps().staleDays()).orElse(5);
                                          Instant last =
                                              (e.lastDeployedAt != null
                                                      ? e.lastDeployedAt
                                                      : e.createdAt)
                                                  .toInstant();
                                          if (last.plus(days, ChronoUnit.DAYS).isBefore(now)) {
                                            markDeleting(e);
                                            return n + 1;
                                          }
                                          return n;
                                        }))));
  }

  /** Review apps that need the worker: something to deploy, or a teardown. */
  public Uni<List<ReviewAppEntity>> needingWork() {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from ReviewAppEntity where status = 'deleting' or (status in ('pending',"
                        + " 'creating', 'created', 'errored') and desiredDigest is not null and"
                        + " (releasedDigest is null or desiredDigest <> releasedDigest) and"
                        + " (approved = true or fork = false))",
                    ReviewAppEntity.class)
                .getResultList());
  }

  /** Records that {@code digest} was released to the review app (status creating if new). */
  public Uni<Void> released(Mutiny.Session session, UUID id, String digest) {
    return session
        .find(ReviewAppEntity.class, id)
        .invoke(
            e -> {
              e.releasedDigest = digest;
              ReviewAppStatus status = ReviewAppStatus.of(e.status);
              if (status == ReviewAppStatus.PENDING || status == ReviewAppStatus.ERRORED) {
                e.status = ReviewAppStatus.CREATING.wireName();
                e.error = null;
              }
            })
        .replaceWithVoid();
  }

  /** The live review app running {@code appName}, if it is one. */
  public Uni<Optional<ReviewAppEntity>> byApp(Mutiny.Session session, String appName) {
    return session
        .createSelectionQuery(
            "from ReviewAppEntity where appName = :a and status <> 'deleted'",
            ReviewAppEntity.class)
        .setParameter("a", appName)
        .setMaxResults(1)
        .getSingleResultOrNull()
        .map(Optional::ofNullable);
  }

  /**
   * A release of the review app succeeded: it is created; the first time, announce the environment.
   */
  public Uni<Void> deployed(Mutiny.Session session, ReviewAppEntity e, String url, boolean first) {
    e.status = ReviewAppStatus.CREATED.wireName();
    e.error = null;
    e.lastDeployedAt = OffsetDateTime.now(ZoneOffset.UTC);
    e.postdeployDone = true;
    if (!first) {
      return Uni.createFrom().voidItem();
    }
    return environment(session, e, EventType.ENVIRONMENT_CREATED, EnvironmentStatus.CREATED, url);
  }

  /** The review app's deploy or teardown failed. */
  public void errored(ReviewAppEntity e, String error) {
    e.status = ReviewAppStatus.ERRORED.wireName();
    e.error = error;
  }

  /** The review app is gone: announce it. */
  public Uni<Void> deleted(Mutiny.Session session, ReviewAppEntity e) {
    e.status = ReviewAppStatus.DELETED.wireName();
    e.deletedAt = OffsetDateTime.now(ZoneOffset.UTC);
    return environment(session, e, EventType.ENVIRONMENT_DELETED, EnvironmentStatus.DELETED, null);
  }

  private Uni<Void> environment(
      Mutiny.Session session,
      ReviewAppEntity e,
      EventType type,
      EnvironmentStatus status,
      String url) {
    return outbox
        .record(
            session,
            type,
            new EnvironmentChange(
                e.pipelineId.toString(),
                e.appName,
                e.appName,
                EnvironmentKind.REVIEW,
                e.prNumber,
                url,
                status))
        .replaceWithVoid();
  }

  private Uni<ReviewAppEntity> ensure(
      Mutiny.Session session, PipelineSnapshot pipeline, int pr, String branch, boolean fork) {
    UUID pipelineId = UUID.fromString(pipeline.pipelineId());
    return lock(session, pipelineId, pr)
        .chain(() -> live(session, pipelineId, pr))
        .flatMap(
            existing -> {
              if (existing.isPresent()) {
                ReviewAppEntity e = existing.get();
                e.branch = branch;
                if (fork) {
                  markFork(e);
                }
                return refreshDesired(session, e).replaceWith(e);
              }
              ReviewAppEntity e = new ReviewAppEntity();
              e.id = UUID.randomUUID();
              e.pipelineId = pipelineId;
              e.prNumber = pr;
              e.branch = branch;
              e.appName = appName(pipeline.name(), pr);
              // Fork status comes from the forge; by hand it is unknown, so not a fork until the
              // pull request or its build says otherwise (markFork).
              e.fork = fork;
              e.approved = !fork;
              e.status = ReviewAppStatus.PENDING.wireName();
              e.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
              return session.persist(e).flatMap(v -> refreshDesired(session, e)).replaceWith(e);
            });
  }

  private Uni<Void> refreshDesired(Mutiny.Session session, UUID pipelineId, int pr) {
    return lock(session, pipelineId, pr)
        .chain(() -> live(session, pipelineId, pr))
        .flatMap(
            e -> e.isPresent() ? refreshDesired(session, e.get()) : Uni.createFrom().voidItem());
  }

  private Uni<Void> refreshDesired(Mutiny.Session session, ReviewAppEntity e) {
    return pipelines
        .find(session, e.pipelineId.toString())
        .flatMap(
            p -> {
              boolean waitForCi = p.map(x -> x.reviewApps().waitForCi()).orElse(true);
              return artifacts.latestOfPullRequest(session, e.pipelineId, e.prNumber, waitForCi);
            })
        .invoke(
            a ->
                a.ifPresent(
                    artifact -> {
                      if (artifact.fork) {
                        markFork(e);
                      }
                      e.desiredDigest = artifact.digest;
                    }))
        .replaceWithVoid();
  }

  /**
   * The forge says this pull request comes from a fork (its payload, or the build made from it):
   * the review app is a fork's from now on, and an approval given before it was known to be one (a
   * review app made by hand for the same number) does not carry over. Only an admin's approval of
   * the fork's review app lets it deploy.
   */
  private static void markFork(ReviewAppEntity e) {
    if (!e.fork) {
      e.fork = true;
      e.approved = false;
    }
  }

  /**
   * Serialises the work on one pull request's review app: a pull request event and its build's
   * event arrive on two topics at once, and each transaction must see what the other stored, or the
   * review app would never learn which artifact to run.
   */
  private static Uni<Void> lock(Mutiny.Session session, UUID pipelineId, int pr) {
    return AdvisoryLocks.lock(session, "review-app/" + pipelineId + "/" + pr);
  }

  private static void markDeleting(ReviewAppEntity e) {
    if (ReviewAppStatus.of(e.status) != ReviewAppStatus.DELETED) {
      e.status = ReviewAppStatus.DELETING.wireName();
    }
  }

  private static Uni<Optional<ReviewAppEntity>> live(
      Mutiny.Session session, UUID pipelineId, int pr) {
    return session
        .createSelectionQuery(
            "from ReviewAppEntity where pipelineId = :p and prNumber = :pr and status <>"
                + " 'deleted'",
            ReviewAppEntity.class)
        .setParameter("p", pipelineId)
        .setParameter("pr", pr)
        .setMaxResults(1)
        .getSingleResultOrNull()
        .map(Optional::ofNullable);
  }

  private static Uni<ReviewAppEntity> existing(Mutiny.Session session, UUID id) {
    return session
        .find(ReviewAppEntity.class, id)
        .map(
            e -> {
              if (e == null) {
                throw new ReleaseRefusedException(404, null, "no review app " + id);
              }
              return e;
            });
  }

  static ReviewApp toDomain(ReviewAppEntity e) {
    return new ReviewApp(
        e.id,
        e.pipelineId,
        e.prNumber,
        e.branch,
        e.appName,
        e.fork,
        e.approved,
        ReviewAppStatus.of(e.status),
        e.error,
        e.releasedDigest,
        e.lastDeployedAt == null ? null : e.lastDeployedAt.toInstant(),
        e.createdAt.toInstant(),
        e.deletedAt == null ? null : e.deletedAt.toInstant());
  }
}

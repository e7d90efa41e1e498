package dev.slipway.deploy.releases;

import dev.slipway.deploy.Json;
import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.apps.persistence.AppEntity;
import dev.slipway.deploy.artifacts.Artifacts;
import dev.slipway.deploy.artifacts.persistence.ArtifactEntity;
import dev.slipway.deploy.releases.persistence.ReleaseEntity;
import dev.slipway.events.EventType;
import dev.slipway.events.promotion.PromotionTargetFinished;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.events.release.ReleaseCreated;
import dev.slipway.events.release.ReleaseFinished;
import dev.slipway.events.release.ServiceDeployed;
import dev.slipway.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Releases: numbered per app, immutable (artifact + config snapshot), created pending and then
 * deployed by {@code ReleaseWorkers}; every change commits with the events announcing it.
 */
@ApplicationScoped
public class Releases {

  private final Mutiny.SessionFactory sessionFactory;
  private final Outbox outbox;
  private final Apps apps;
  private final String schema;

  public Releases(
      Mutiny.SessionFactory sessionFactory,
      Outbox outbox,
      Apps apps,
      @ConfigProperty(name = "slipway.schema") String schema) {
    this.sessionFactory = sessionFactory;
    this.outbox = outbox;
    this.apps = apps;
    this.schema = schema;
  }

  /**
   * Creates the app's next release of {@code artifactDigest} in the caller's transaction. {@code
   * config} null means the app's current config vars.
   */
  public Uni<Release> create(
      Mutiny.Session session,
      String app,
      String artifactDigest,
      Map<String, String> config,
      String description,
      ReleaseCause cause,
      String createdBy,
      UUID promotionId) {
    return create(
        session, app, artifactDigest, config, description, cause, createdBy, promotionId, null);
  }

  /** As {@link #create}, recording which build's artifact it releases (auto-deploy). */
  public Uni<Release> create(
      Mutiny.Session session,
      String app,
      String artifactDigest,
      Map<String, String> config,
      String description,
      ReleaseCause cause,
      String createdBy,
      UUID promotionId,
      UUID buildId) {
    return apps.lock(session, app)
        .flatMap(
            appRow ->
                Artifacts.byDigest(session, artifactDigest)
                    .flatMap(
                        artifact -> {
                          if (artifact == null) {
                            return Uni.createFrom()
                                .failure(
                                    new ReleaseRefusedException(
                                        422,
                                        "artifact_digest",
                                        "artifact_digest: no build produced " + artifactDigest));
                          }
                          ReleaseEntity r = new ReleaseEntity();
                          r.id = UUID.randomUUID();
                          r.appName = app;
                          r.version = appRow.nextVersion++;
                          r.artifactDigest = artifactDigest;
                          r.config = config == null ? appRow.config : Json.write(config);
                          r.secretNames = appRow.secretNames;
                          if (cause.restoresConfig()) {
                            // As on Heroku: the app's config vars become the release's again.
                            appRow.config = r.config;
                          }
                          r.processTypes = artifact.processTypes;
                          r.description = description;
                          r.cause = cause.wireName();
                          r.createdBy = createdBy;
                          r.promotionId = promotionId;
                          r.buildId = buildId;
                          r.status = ReleaseStatus.PENDING.wireName();
                          r.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                          return session
                              .persist(r)
                              .flatMap(
                                  v ->
                                      outbox.record(
                                          session,
                                          EventType.RELEASE_CREATED,
                                          new ReleaseCreated(
                                              pipelineOf(appRow, artifact),
                                              app,
                                              r.id.toString(),
                                              r.version,
                                              artifactDigest,
                                              dev.slipway.events.release.ReleaseStatus.PENDING,
                                              description,
                                              r.cause)))
                              .map(v -> toDomain(r));
                        }));
  }

  /**
   * When the newest build that auto-deploy released to {@code app} was queued, in the caller's
   * session; empty when auto-deploy never released there.
   */
  public Uni<Optional<java.time.Instant>> newestAutoDeployedBuild(
      Mutiny.Session session, String app) {
    return session
        .createSelectionQuery(
            // By build, not digest: a later build of an older commit may have the same digest.
            // Releases from before build ids were recorded fall back to their digest.
            "select max(a.queuedAt) from ReleaseEntity r, ArtifactEntity a"
                + " where (a.buildId = r.buildId"
                + " or (r.buildId is null and a.digest = r.artifactDigest))"
                + " and r.appName = :app and r.cause = :cause",
            OffsetDateTime.class)
        .setParameter("app", app)
        .setParameter("cause", ReleaseCause.AUTO_DEPLOY.wireName())
        .getSingleResultOrNull()
        .map(t -> Optional.ofNullable(t).map(OffsetDateTime::toInstant));
  }

  /** The app's release {@code version}. */
  public Uni<Optional<Release>> find(String app, int version) {
    if (!Apps.mayExist(app)) {
      return Uni.createFrom().item(Optional.empty());
    }
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from ReleaseEntity where appName = :a and version = :v", ReleaseEntity.class)
                .setParameter("a", app)
                .setParameter("v", version)
                .getSingleResultOrNull()
                .map(r -> Optional.ofNullable(r).map(Releases::toDomain)));
  }

  public Uni<Optional<Release>> find(UUID id) {
    return sessionFactory.withSession(
        s ->
            s.find(ReleaseEntity.class, id)
                .map(r -> Optional.ofNullable(r).map(Releases::toDomain)));
  }

  /** The app's releases, newest first. */
  public Uni<List<Release>> list(String app) {
    if (!Apps.mayExist(app)) {
      return Uni.createFrom().item(List.of());
    }
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from ReleaseEntity where appName = :a order by version desc",
                    ReleaseEntity.class)
                .setParameter("a", app)
                .getResultList()
                .map(list -> list.stream().map(Releases::toDomain).toList()));
  }

  /**
   * Whether the app's newest release, unless it failed, already runs {@code artifactDigest}: a
   * release of it again would change nothing the user can see.
   */
  public Uni<Boolean> alreadyReleases(Mutiny.Session session, String app, String artifactDigest) {
    return session
        .createSelectionQuery(
            "from ReleaseEntity where appName = :a order by version desc", ReleaseEntity.class)
        .setParameter("a", app)
        .setMaxResults(1)
        .getSingleResultOrNull()
        .map(
            r ->
                r != null
                    && r.artifactDigest.equals(artifactDigest)
                    && !ReleaseStatus.FAILED.wireName().equals(r.status));
  }

  /** The release the app serves: the last one that succeeded. */
  public Uni<Optional<Release>> current(Mutiny.Session session, String app) {
    if (!Apps.mayExist(app)) {
      return Uni.createFrom().item(Optional.empty());
    }
    return session
        .createSelectionQuery(
            "from ReleaseEntity where appName = :a and status = 'succeeded' order by version desc",
            ReleaseEntity.class)
        .setParameter("a", app)
        .setMaxResults(1)
        .getSingleResultOrNull()
        .map(r -> Optional.ofNullable(r).map(Releases::toDomain));
  }

  public Uni<Optional<Release>> current(String app) {
    return sessionFactory.withSession(s -> current(s, app));
  }

  /** Every app's current release, to run again after this service restarted. */
  public Uni<List<Release>> currentOfEveryApp() {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from ReleaseEntity r where r.status = 'succeeded' and r.version = (select"
                        + " max(o.version) from ReleaseEntity o where o.appName = r.appName and"
                        + " o.status = 'succeeded')",
                    ReleaseEntity.class)
                .getResultList()
                .map(list -> list.stream().map(Releases::toDomain).toList()));
  }

  /** A new release with the artifact and config of {@code version}, as Heroku's rollback. */
  public Uni<Release> rollback(String app, int version, String by) {
    if (!Apps.mayExist(app)) {
      return Uni.createFrom().failure(new ReleaseRefusedException(404, null, "no app " + app));
    }
    return sessionFactory.withTransaction(
        s ->
            s.createSelectionQuery(
                    "from ReleaseEntity where appName = :a and version = :v", ReleaseEntity.class)
                .setParameter("a", app)
                .setParameter("v", version)
                .getSingleResultOrNull()
                .flatMap(
                    old -> {
                      if (old == null) {
                        return Uni.createFrom()
                            .failure(
                                new ReleaseRefusedException(
                                    422,
                                    "rollback_to",
                                    "rollback_to: " + app + " has no v" + version));
                      }
                      // A name secret then or now stays secret: a rollback never unmasks a value.
                      return apps.lock(s, app)
                          .invoke(
                              row -> {
                                Set<String> names = new TreeSet<>(Json.names(row.secretNames));
                                names.addAll(Json.names(old.secretNames));
                                row.secretNames = Json.writeNames(names);
                              })
                          .flatMap(
                              row ->
                                  create(
                                      s,
                                      app,
                                      old.artifactDigest,
                                      Json.strings(old.config),
                                      "Rollback to v" + version,
                                      ReleaseCause.ROLLBACK,
                                      by,
                                      null));
                    }));
  }

  /**
   * Claims the oldest pending release of an app not in {@code busy}; it stays pending in the
   * database until finished, so a restart deploys it again.
   */
  public Uni<Optional<Release>> nextPending(Collection<String> busy) {
    String sql =
        "select id from "
            + schema
            + ".release where status = 'pending'"
            + (busy.isEmpty() ? "" : " and app_name <> all(:busy)")
            + " order by created_at, version limit 1";
    return sessionFactory.withSession(
        s -> {
          var q = s.createNativeQuery(sql, UUID.class);
          if (!busy.isEmpty()) {
            q.setParameter("busy", busy.toArray(new String[0]));
          }
          return q.getResultList()
              .flatMap(
                  ids ->
                      ids.isEmpty()
                          ? Uni.createFrom().item(Optional.<Release>empty())
                          : s.find(ReleaseEntity.class, ids.get(0))
                              .map(r -> Optional.of(toDomain(r))));
        });
  }

  /**
   * Records how the deploy of a release went and announces it: release finished, service deployed
   * (first release), upgraded or rolled back, and the promotion target's outcome.
   */
  public Uni<Release> finish(UUID id, boolean succeeded, String error, String output, String url) {
    return sessionFactory.withTransaction(
        s ->
            s.find(ReleaseEntity.class, id)
                .flatMap(
                    r -> {
                      if (r == null || ReleaseStatus.of(r.status).isTerminal()) {
                        return Uni.createFrom().item(r == null ? null : toDomain(r));
                      }
                      return s.find(AppEntity.class, r.appName)
                          .flatMap(
                              app ->
                                  Artifacts.byDigest(s, r.artifactDigest)
                                      .flatMap(
                                          artifact ->
                                              previouslySucceeded(s, r)
                                                  .flatMap(
                                                      hadOne -> {
                                                        r.status =
                                                            (succeeded
                                                                    ? ReleaseStatus.SUCCEEDED
                                                                    : ReleaseStatus.FAILED)
                                                                .wireName();
                                                        r.error = error;
                                                        r.output = output;
                                                        r.finishedAt =
                                                            OffsetDateTime.now(ZoneOffset.UTC);
                                                        String pipeline = pipelineOf(app, artifact);
                                                        Uni<Void> events =
                                                            outbox
                                                                .record(
                                                                    s,
                                                                    EventType.RELEASE_FINISHED,
                                                                    new ReleaseFinished(
                                                                        pipeline,
                                                                        r.appName,
                                                                        r.id.toString(),
                                                                        r.version,
                                                                        r.artifactDigest,
                                                                        succeeded
                                                                            ? dev.slipway.events
                                                                                .release
                                                                                .ReleaseStatus
                                                                                .SUCCEEDED
                                                                            : dev.slipway.events
                                                                                .release
                                                                                .ReleaseStatus
                                                                                .FAILED,
                                                                        r.description,
                                                                        r.cause))
                                                                .replaceWithVoid();
                                                        if (succeeded) {
                                                          EventType type =
                                                              !hadOne
                                                                  ? EventType.SERVICE_DEPLOYED
                                                                  : ReleaseCause.ROLLBACK
                                                                          .wireName()
                                                                          .equals(r.cause)
                                                                      ? EventType.SERVICE_ROLLEDBACK
                                                                      : EventType.SERVICE_UPGRADED;
                                                          events =
                                                              events.flatMap(
                                                                  v ->
                                                                      outbox
                                                                          .record(
                                                                              s,
                                                                              type,
                                                                              new ServiceDeployed(
                                                                                  pipeline,
                                                                                  r.appName,
                                                                                  r.appName,
                                                                                  r.version,
                                                                                  r.artifactDigest,
                                                                                  url))
                                                                          .replaceWithVoid());
                                                        }
                                                        if (r.promotionId != null) {
                                                          events =
                                                              events.flatMap(
                                                                  v ->
                                                                      outbox
                                                                          .record(
                                                                              s,
                                                                              EventType
                                                                                  .PROMOTION_TARGET_FINISHED,
                                                                              new PromotionTargetFinished(
                                                                                  pipeline,
                                                                                  r.promotionId
                                                                                      .toString(),
                                                                                  r.appName,
                                                                                  succeeded
                                                                                      ? PromotionTargetStatus
                                                                                          .SUCCEEDED
                                                                                      : PromotionTargetStatus
                                                                                          .FAILED,
                                                                                  r.id.toString(),
                                                                                  succeeded
                                                                                      ? null
                                                                                      : error))
                                                                          .replaceWithVoid());
                                                        }
                                                        return events.map(v -> toDomain(r));
                                                      })));
                    }));
  }

  private static Uni<Boolean> previouslySucceeded(Mutiny.Session s, ReleaseEntity r) {
    return s.createSelectionQuery(
            "select count(*) from ReleaseEntity where appName = :a and status = 'succeeded'"
                + " and version < :v",
            Long.class)
        .setParameter("a", r.appName)
        .setParameter("v", r.version)
        .getSingleResult()
        .map(n -> n > 0);
  }

  private static String pipelineOf(AppEntity app, ArtifactEntity artifact) {
    if (app != null && app.pipelineId != null) {
      return app.pipelineId.toString();
    }
    return artifact.pipelineId.toString();
  }

  public static Release toDomain(ReleaseEntity r) {
    return new Release(
        r.id,
        r.appName,
        r.version,
        r.artifactDigest,
        Json.strings(r.config),
        Json.names(r.secretNames),
        Json.strings(r.processTypes),
        r.description,
        ReleaseCause.of(r.cause),
        r.createdBy,
        r.promotionId,
        ReleaseStatus.of(r.status),
        r.error,
        r.output,
        r.createdAt.toInstant(),
        r.finishedAt == null ? null : r.finishedAt.toInstant());
  }
}

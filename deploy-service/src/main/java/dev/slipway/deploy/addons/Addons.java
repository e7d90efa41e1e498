package dev.slipway.deploy.addons;

import dev.slipway.apps.manifest.Addon;
import dev.slipway.apps.manifest.AppJson;
import dev.slipway.apps.manifest.ManifestException;
import dev.slipway.deploy.Json;
import dev.slipway.deploy.addons.persistence.AddonEntity;
import dev.slipway.deploy.apps.App;
import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.apps.ConfigVars;
import dev.slipway.deploy.artifacts.Artifacts;
import dev.slipway.deploy.releases.Release;
import dev.slipway.deploy.releases.ReleaseRefusedException;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.deploy.releases.persistence.ReleaseEntity;
import dev.slipway.platform.addons.PostgresDatabases;
import dev.slipway.platform.work.InSequence;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Add-ons of ordinary apps, as on Heroku: {@code heroku-postgresql} makes a database with its own
 * login role (the one add-on mechanism, {@link PostgresDatabases}, shared with review apps),
 * attached as {@code DATABASE_URL} in a new release; destroying it detaches it in a new release and
 * drops the database. A staging or production app whose first release's app.json lists
 * heroku-postgresql gets one before that release runs, once.
 */
@ApplicationScoped
public class Addons {

  private static final Logger LOG = Logger.getLogger(Addons.class);
  private static final int NAME_ATTEMPTS = 5;

  private final Mutiny.SessionFactory sessionFactory;
  private final Apps apps;
  private final ConfigVars configVars;
  private final PostgresDatabases databases;
  private final Vertx vertx;

  public Addons(
      Mutiny.SessionFactory sessionFactory,
      Apps apps,
      ConfigVars configVars,
      PostgresDatabases databases,
      Vertx vertx) {
    this.sessionFactory = sessionFactory;
    this.apps = apps;
    this.configVars = configVars;
    this.databases = databases;
    this.vertx = vertx;
  }

  /** What creating an add-on did: the add-on, and the release attaching it (none before v1). */
  public record Created(AppAddon addon, Optional<Release> release) {}

  /**
   * Provisions {@code plan} for {@code app}: refused with {@code plan} named when the plan is not
   * offered or the app already has a DATABASE_URL, 404 when there is no such app.
   */
  public Uni<Created> create(String app, String plan, String by) {
    Optional<String> problem = AddonPlans.problem(plan);
    if (problem.isPresent()) {
      return Uni.createFrom()
          .failure(new ReleaseRefusedException(400, "plan", "plan: " + problem.get()));
    }
    return existing(app)
        .flatMap(
            found -> {
              if (found.config().containsKey(AddonPlans.DATABASE_URL)) {
                return Uni.createFrom().failure(alreadyAttached(app));
              }
              return freeName();
            })
        .flatMap(name -> withNewDatabase((s, db) -> attach(s, app, name, plan, db, by)));
  }

  /** The app's add-ons, oldest first; 404 when there is no such app. */
  public Uni<List<AppAddon>> list(String app) {
    return existing(app).flatMap(found -> sessionFactory.withSession(s -> byApp(s, app)));
  }

  /**
   * Detaches add-on {@code name} from {@code app} (a new release without its config var) and drops
   * its database; 400 naming {@code name} when it is not an add-on name, 404 when the app has no
   * such add-on.
   */
  public Uni<Optional<Release>> destroy(String app, String name, String by) {
    if (!AddonPlans.wellFormedName(name)) {
      return Uni.createFrom()
          .failure(
              new ReleaseRefusedException(
                  400, "name", "name: is not an add-on name (postgresql-<word>-<number>)"));
    }
    return sessionFactory
        .withTransaction(
            s ->
                apps.lock(s, app)
                    .flatMap(row -> s.find(AddonEntity.class, name))
                    .flatMap(
                        e -> {
                          if (e == null || !e.appName.equals(app)) {
                            return Uni.createFrom()
                                .<Detached>failure(
                                    new ReleaseRefusedException(
                                        404, null, "app " + app + " has no add-on " + name));
                          }
                          Map<String, String> unset = new HashMap<>();
                          unset.put(e.configVar, null);
                          return configVars
                              .change(s, app, unset, Set.of(), by, AddonPlans.detached(name))
                              .call(c -> s.remove(e))
                              .map(c -> new Detached(e.databaseName, c.release()));
                        }))
        .call(d -> drop(d.database()))
        .map(Detached::release);
  }

  /**
   * Drops the databases of every add-on of {@code app}, which is going away: call before deleting
   * the app (its add-on rows go with its row).
   */
  public Uni<Void> dropAll(String app) {
    return sessionFactory
        .withSession(
            s ->
                s.createSelectionQuery(
                        "select databaseName from AddonEntity where appName = :a", String.class)
                    .setParameter("a", app)
                    .getResultList())
        .flatMap(names -> InSequence.forEach(names, this::drop));
  }

  /**
   * Before an app's first release runs: a staging or production app whose app.json lists
   * heroku-postgresql gets the add-on (Heroku provisions app.json add-ons when it sets an app up),
   * and the release gets its DATABASE_URL. Later releases never add or remove add-ons; an app that
   * already has a DATABASE_URL is left as it is. Returns the release to run.
   */
  public Uni<Release> beforeFirstRelease(Release release) {
    if (release.version() != 1) {
      return Uni.createFrom().item(release);
    }
    return apps.find(release.app())
        .flatMap(
            app -> {
              boolean pipelineStage =
                  app.map(a -> "staging".equals(a.stage()) || "production".equals(a.stage()))
                      .orElse(false);
              if (!pipelineStage
                  || app.get().config().containsKey(AddonPlans.DATABASE_URL)
                  || release.config().containsKey(AddonPlans.DATABASE_URL)) {
                return Uni.createFrom().item(Optional.<String>empty());
              }
              return sessionFactory.withSession(
                  s ->
                      Artifacts.byDigest(s, release.artifactDigest())
                          .map(a -> manifestPlan(a == null ? null : a.appJson)));
            })
        .flatMap(
            plan -> {
              if (plan.isEmpty()) {
                return Uni.createFrom().item(release);
              }
              return freeName()
                  .flatMap(
                      name ->
                          withNewDatabase(
                              (s, db) -> attachToFirstRelease(s, release, name, plan.get(), db)));
            });
  }

  /**
   * Records, in the caller's transaction, a database provisioned with the app itself (a review
   * app's): it is listed with the app's add-ons and dropped with the app.
   */
  public Uni<Void> record(
      Mutiny.Session s, String app, String plan, PostgresDatabases.Database db, String by) {
    return freeName(s, NAME_ATTEMPTS).flatMap(name -> s.persist(entity(app, name, plan, db, by)));
  }

  /** The heroku-postgresql plan an app.json asks for, if any (other services are not offered). */
  static Optional<String> manifestPlan(String appJson) {
    if (appJson == null) {
      return Optional.empty();
    }
    try {
      return AppJson.parse(appJson).addons().stream()
          .filter(a -> AddonPlans.supported(a.service()))
          .map(Addon::plan)
          .filter(p -> AddonPlans.problem(p).isEmpty())
          .findFirst();
    } catch (ManifestException e) {
      return Optional.empty();
    }
  }

  private Uni<App> existing(String app) {
    return apps.find(app)
        .map(
            found ->
                found.orElseThrow(() -> new ReleaseRefusedException(404, null, "no app " + app)));
  }

  private record Detached(String database, Optional<Release> release) {}

  private Uni<Created> attach(
      Mutiny.Session s,
      String app,
      String name,
      String plan,
      PostgresDatabases.Database db,
      String by) {
    return apps.lock(s, app)
        .flatMap(row -> byApp(s, app).map(existing -> Map.entry(row, existing)))
        .flatMap(
            locked -> {
              // One database per app: its add-on is DATABASE_URL, even if that var was unset.
              if (!locked.getValue().isEmpty()
                  || Json.strings(locked.getKey().config).containsKey(AddonPlans.DATABASE_URL)) {
                return Uni.createFrom().failure(alreadyAttached(app));
              }
              AddonEntity e = entity(app, name, plan, db, by);
              return s.persist(e)
                  .flatMap(
                      v ->
                          configVars.change(
                              s,
                              app,
                              Map.of(AddonPlans.DATABASE_URL, db.url()),
                              // It holds the add-on role's password, whatever a viewer's rule.
                              Set.of(AddonPlans.DATABASE_URL),
                              by,
                              AddonPlans.attached(name)))
                  .map(c -> new Created(toDomain(e), c.release()));
            });
  }

  private Uni<Release> attachToFirstRelease(
      Mutiny.Session s, Release release, String name, String plan, PostgresDatabases.Database db) {
    return apps.lock(s, release.app())
        .flatMap(
            row -> {
              Map<String, String> config = Json.strings(row.config);
              config.put(AddonPlans.DATABASE_URL, db.url());
              row.config = Json.write(config);
              return s.persist(entity(release.app(), name, plan, db, "app.json"))
                  .flatMap(v -> s.find(ReleaseEntity.class, release.id()))
                  .map(
                      r -> {
                        Map<String, String> releaseConfig = Json.strings(r.config);
                        releaseConfig.put(AddonPlans.DATABASE_URL, db.url());
                        r.config = Json.write(releaseConfig);
                        return Releases.toDomain(r);
                      });
            });
  }

  private static AddonEntity entity(
      String app, String name, String plan, PostgresDatabases.Database db, String by) {
    AddonEntity e = new AddonEntity();
    e.name = name;
    e.appName = app;
    e.plan = plan;
    e.databaseName = db.name();
    e.configVar = AddonPlans.DATABASE_URL;
    e.createdBy = by;
    e.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    return e;
  }

  /** An add-on name no add-on has yet. */
  private Uni<String> freeName() {
    return sessionFactory.withSession(s -> freeName(s, NAME_ATTEMPTS));
  }

  private static Uni<String> freeName(Mutiny.Session s, int attempts) {
    String name = AddonPlans.newName();
    return s.find(AddonEntity.class, name)
        .flatMap(
            taken -> {
              if (taken == null) {
                return Uni.createFrom().item(name);
              }
              if (attempts <= 1) {
                return Uni.createFrom()
                    .failure(new IllegalStateException("could not pick a free add-on name"));
              }
              return freeName(s, attempts - 1);
            });
  }

  /**
   * Creates a database, then records it with {@code attach} in one transaction; the database is
   * dropped again when that fails, so no failed attempt leaves one behind.
   */
  private <T> Uni<T> withNewDatabase(
      BiFunction<Mutiny.Session, PostgresDatabases.Database, Uni<T>> attach) {
    return provision()
        .flatMap(
            db ->
                sessionFactory
                    .withTransaction(s -> attach.apply(s, db))
                    .onFailure()
                    .call(() -> drop(db.name())));
  }

  /** Creates the database and its role off the event loop (plain JDBC). */
  private Uni<PostgresDatabases.Database> provision() {
    return vertx.executeBlocking(
        Uni.createFrom()
            .item(
                () -> {
                  try {
                    return databases.create(UUID.randomUUID().toString().replace("-", ""));
                  } catch (SQLException e) {
                    LOG.warnf("could not create an add-on database: %s", e.getMessage());
                    throw new ReleaseRefusedException(
                        503, null, "the add-on database could not be created; try again");
                  }
                }),
        false);
  }

  private Uni<Void> drop(String database) {
    return vertx
        .executeBlocking(
            Uni.createFrom()
                .item(
                    () -> {
                      databases.drop(database);
                      return database;
                    }),
            false)
        .replaceWithVoid();
  }

  private static Uni<List<AppAddon>> byApp(Mutiny.Session s, String app) {
    return s.createSelectionQuery(
            "from AddonEntity where appName = :a order by createdAt, name", AddonEntity.class)
        .setParameter("a", app)
        .getResultList()
        .map(list -> list.stream().map(Addons::toDomain).toList());
  }

  private static ReleaseRefusedException alreadyAttached(String app) {
    return new ReleaseRefusedException(
        409,
        "plan",
        "plan: app "
            + app
            + " already has a heroku-postgresql add-on or a DATABASE_URL config var; destroy the"
            + " add-on or unset the var first");
  }

  private static AppAddon toDomain(AddonEntity e) {
    return new AppAddon(e.name, e.appName, e.plan, e.configVar, e.createdAt.toInstant());
  }
}

package dev.slipway.deploy.reviewapps.runner;

import static dev.slipway.platform.work.Blocking.await;

import dev.slipway.apps.manifest.Addon;
import dev.slipway.apps.manifest.AppEnvironment;
import dev.slipway.apps.manifest.AppJson;
import dev.slipway.apps.manifest.EnvVar;
import dev.slipway.apps.manifest.ManifestException;
import dev.slipway.deploy.addons.AddonPlans;
import dev.slipway.deploy.addons.Addons;
import dev.slipway.deploy.apps.App;
import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.artifacts.Artifacts;
import dev.slipway.deploy.artifacts.persistence.ArtifactEntity;
import dev.slipway.deploy.forge.ForgeDeployments;
import dev.slipway.deploy.releases.Release;
import dev.slipway.deploy.releases.ReleaseCause;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.deploy.releases.runner.ReleaseWorkers;
import dev.slipway.deploy.reviewapps.ReviewAppStatus;
import dev.slipway.deploy.reviewapps.ReviewApps;
import dev.slipway.deploy.reviewapps.persistence.ReviewAppEntity;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.deploy.runtime.AppRuntime.OneOffResult;
import dev.slipway.deploy.runtime.AppRuntime.ReleaseSpec;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.addons.PostgresDatabases;
import dev.slipway.platform.leader.LeaderElection;
import dev.slipway.platform.outbox.OutboxRelay;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.secrets.PlatformSecrets;
import dev.slipway.platform.work.WorkerPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Does the slow part of review apps: provisions the app (config, add-on database) and releases the
 * PR's build to it, runs {@code postdeploy} once after its first deploy, and tears it down ({@code
 * pr-predestroy}, processes, database) when it is closed, stale or destroyed. Its stale-app reaper
 * runs on the replica leading job {@code review-app-reaper} only.
 */
@ApplicationScoped
public class ReviewAppWorker {

  private static final Logger LOG = Logger.getLogger(ReviewAppWorker.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String REAPER_JOB = "review-app-reaper";

  private final ReviewApps reviewApps;
  private final ForgeDeployments forgeDeployments;
  private final Apps apps;
  private final Releases releases;
  private final ReleaseWorkers releaseWorkers;
  private final AppRuntime runtime;
  private final PipelineDirectory pipelines;
  private final PlatformSecrets secrets;
  private final PostgresDatabases databases;
  private final Addons addons;
  private final Mutiny.SessionFactory sessionFactory;
  private final MeterRegistry registry;
  private final Duration scriptTimeout;
  private final boolean enabled;
  private final Duration pollInterval;
  private final AtomicLong alive = new AtomicLong();
  private final LeaderElection election;
  private volatile WorkerPool<List<ReviewAppEntity>> pool;

  public ReviewAppWorker(
      ReviewApps reviewApps,
      Apps apps,
      Releases releases,
      ReleaseWorkers releaseWorkers,
      AppRuntime runtime,
      PipelineDirectory pipelines,
      PlatformSecrets secrets,
      PostgresDatabases databases,
      Addons addons,
      Mutiny.SessionFactory sessionFactory,
      MeterRegistry registry,
      @ConfigProperty(name = "slipway.review-apps.script-timeout", defaultValue = "30m")
          Duration scriptTimeout,
      @ConfigProperty(name = "slipway.releases.workers-enabled", defaultValue = "true")
          boolean enabled,
      @ConfigProperty(name = "slipway.review-apps.poll-interval", defaultValue = "30s")
          Duration pollInterval,
      OutboxRelay relay,
      ForgeDeployments forgeDeployments,
      LeaderElection election) {
    this.forgeDeployments = forgeDeployments;
    // Review-app changes commit environment events: wake on the commit, not on a poll.
    relay.onEventsCommitted(this::wake);
    this.pollInterval = pollInterval;
    this.reviewApps = reviewApps;
    this.apps = apps;
    this.releases = releases;
    this.releaseWorkers = releaseWorkers;
    this.runtime = runtime;
    this.pipelines = pipelines;
    this.secrets = secrets;
    this.databases = databases;
    this.addons = addons;
    this.sessionFactory = sessionFactory;
    this.registry = registry;
    this.scriptTimeout = scriptTimeout;
    this.enabled = enabled;
    this.election = election;
  }

  void onStart(@Observes StartupEvent event) {
    registry.gauge("slipway.review_apps.alive", alive);
    releaseWorkers.afterDeploy(this::deployed);
    releaseWorkers.afterFailure(this::failed);
    election.leads(REAPER_JOB);
    if (!enabled) {
      return;
    }
    pool =
        new WorkerPool<>(
            "review-app-worker",
            1,
            pollInterval,
            () -> {
              List<ReviewAppEntity> work = await(reviewApps::needingWork);
              alive.set(await(this::countAlive));
              return work.isEmpty() ? Optional.empty() : Optional.of(work);
            },
            this::work);
    pool.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (pool != null) {
      pool.stop();
    }
  }

  /** Wakes the worker: a review app may need work. */
  public void wake() {
    if (pool != null) {
      pool.wake();
    }
  }

  /** The reaper: review apps without a deploy for their pipeline's {@code stale_days} go. */
  @Scheduled(every = "${slipway.review-apps.reap-every:1h}", delayed = "1m")
  void reap() {
    // One replica marks stale apps; every replica's worker pool then tears them down.
    if (!election.leads(REAPER_JOB)) {
      return;
    }
    int stale = await(() -> reviewApps.reapStale(Instant.now()));
    if (stale > 0) {
      LOG.infof("%d stale review app(s) to destroy", stale);
      wake();
    }
  }

  /** Tears down or releases each review app that needs it; one failing app errors alone. */
  private void work(List<ReviewAppEntity> work) {
    for (ReviewAppEntity e : work) {
      try {
        if (ReviewAppStatus.of(e.status) == ReviewAppStatus.DELETING) {
          teardown(e);
        } else {
          release(e);
        }
      } catch (RuntimeException ex) {
        LOG.warnf("review app %s: %s", e.appName, ex.getMessage());
        tx(s -> find(s, e).invoke(x -> reviewApps.errored(x, ex.getMessage())).replaceWithVoid());
      }
    }
  }

  private Uni<Long> countAlive() {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "select count(*) from ReviewAppEntity where status <> 'deleted'", Long.class)
                .getSingleResult());
  }

  /** Provisions the app on first use, then releases the artifact the review app should run. */
  private void release(ReviewAppEntity e) {
    ArtifactEntity artifact =
        await(() -> sessionFactory.withSession(s -> Artifacts.byDigest(s, e.desiredDigest)));
    PipelineSnapshot pipeline =
        await(() -> pipelines.find(e.pipelineId.toString()))
            .orElseThrow(() -> new IllegalStateException("pipeline " + e.pipelineId + " is gone"));
    Optional<App> app = await(() -> apps.find(e.appName));
    String description =
        "Deploy " + artifact.commitSha.substring(0, 7) + " of pull request #" + e.prNumber;
    if (app.isEmpty()) {
      AppJson appJson;
      try {
        appJson = artifact.appJson == null ? AppJson.defaults() : AppJson.parse(artifact.appJson);
      } catch (ManifestException ex) {
        throw new IllegalStateException(ex.getMessage());
      }
      Set<String> secretNames = new TreeSet<>();
      Map<String, String> config = config(e, pipeline, appJson, secretNames);
      Optional<Addon> addon = postgresAddon(appJson);
      PostgresDatabases.Database database =
          addon.map(a -> provisionDatabase(e, config)).orElse(null);
      if (database != null) {
        // It holds the add-on role's password.
        secretNames.add(AddonPlans.DATABASE_URL);
      }
      tx(
          s ->
              apps.persistNew(s, e.appName, e.pipelineId, "review", config, secretNames)
                  .flatMap(
                      created ->
                          releases.create(
                              s,
                              e.appName,
                              artifact.digest,
                              null,
                              description,
                              ReleaseCause.REVIEW_APP,
                              "review-apps",
                              null))
                  .call(
                      r ->
                          database == null
                              ? Uni.createFrom().voidItem()
                              : addons.record(
                                  s, e.appName, addon.get().plan(), database, "review-apps"))
                  .flatMap(r -> find(s, e))
                  .invoke(x -> x.databaseName = database == null ? null : database.name())
                  .flatMap(x -> reviewApps.released(s, x.id, artifact.digest)));
    } else {
      tx(
          s ->
              releases
                  .create(
                      s,
                      e.appName,
                      artifact.digest,
                      null,
                      description,
                      ReleaseCause.REVIEW_APP,
                      "review-apps",
                      null)
                  .flatMap(r -> reviewApps.released(s, e.id, artifact.digest)));
    }
    releaseWorkers.wake();
  }

  /**
   * The review app's config, weakest first: app.json {@code env} (a {@code generator: secret} gets
   * a fresh random value), {@code environments.review.env}, the pipeline's review-app config vars
   * (never for forks), then the SLIPWAY_ and HEROKU_ variables naming the app and its PR. The names
   * of generated values and of review config vars go into {@code secretNames}: the API redacts them
   * and the app's log masks them, whatever they are called.
   */
  private Map<String, String> config(
      ReviewAppEntity e, PipelineSnapshot pipeline, AppJson appJson, Set<String> secretNames) {
    Map<String, String> config = new TreeMap<>();
    Map<String, EnvVar> env = new TreeMap<>(appJson.env());
    appJson.environment("review").map(AppEnvironment::env).ifPresent(env::putAll);
    env.forEach(
        (k, v) -> {
          if (v.generatesSecret()) {
            config.put(k, HexFormat.of().formatHex(randomBytes()));
            secretNames.add(k);
          } else if (v.value() != null) {
            config.put(k, v.value());
          }
        });
    if (!e.fork) {
      Map<String, String> review = secrets.reviewConfigVars(pipeline);
      config.putAll(review);
      secretNames.addAll(review.keySet());
    }
    String parent =
        pipeline.couplings().stream()
            .filter(c -> c.stage().name().equals("STAGING"))
            .map(PipelineSnapshot.Coupling::appName)
            .findFirst()
            .orElse("");
    for (String prefix : List.of("SLIPWAY_", "HEROKU_")) {
      config.put(prefix + "APP_NAME", e.appName);
      config.put(prefix + "PR_NUMBER", Integer.toString(e.prNumber));
      config.put(prefix + "BRANCH", e.branch);
    }
    config.put("SLIPWAY_PARENT_APP", parent);
    config.put("HEROKU_PARENT_APP_NAME", parent);
    return config;
  }

  /**
   * The review app's heroku-postgresql add-on from app.json ({@code environments.review.addons}
   * when given, else {@code addons}); other add-on services are refused.
   */
  private static Optional<Addon> postgresAddon(AppJson appJson) {
    List<Addon> addons =
        appJson
            .environment("review")
            .map(AppEnvironment::addons)
            .filter(list -> !list.isEmpty())
            .orElse(appJson.addons());
    for (Addon addon : addons) {
      if (!AddonPlans.supported(addon.service())) {
        throw new IllegalStateException(
            "add-on "
                + addon.service()
                + " is not supported for review apps yet; only "
                + AddonPlans.POSTGRES);
      }
    }
    return addons.stream().findFirst();
  }

  /** Heroku's heroku-postgresql add-on: a fresh database of its own, DATABASE_URL set. */
  private PostgresDatabases.Database provisionDatabase(
      ReviewAppEntity e, Map<String, String> config) {
    try {
      PostgresDatabases.Database db = databases.create(e.id.toString().replace("-", ""));
      config.put(AddonPlans.DATABASE_URL, db.url());
      return db;
    } catch (SQLException ex) {
      throw new IllegalStateException(
          "could not create the review app's database: " + ex.getMessage());
    }
  }

  /** After a release of a review app succeeded: postdeploy once, then it is created. */
  private void deployed(Release release, ReleaseSpec spec) {
    Optional<ReviewAppEntity> found =
        await(() -> sessionFactory.withSession(s -> reviewApps.byApp(s, release.app())));
    if (found.isEmpty()) {
      return;
    }
    ReviewAppEntity e = found.get();
    boolean first = !e.postdeployDone;
    if (first) {
      Optional<String> postdeploy = script(release, "postdeploy");
      if (postdeploy.isPresent()) {
        OneOffResult r = runtime.runOneOff(spec, postdeploy.get(), scriptTimeout, line -> {});
        if (!r.succeeded()) {
          String error =
              r.timedOut()
                  ? "postdeploy timed out"
                  : "postdeploy failed (exit " + r.exitCode() + ")";
          tx(s -> find(s, e).invoke(x -> reviewApps.errored(x, error)).replaceWithVoid());
          return;
        }
      }
    }
    String url = runtime.url(release.app()).map(URI::toString).orElse(null);
    tx(s -> find(s, e).flatMap(x -> reviewApps.deployed(s, x, url, first)));
  }

  private void failed(Release release, String error) {
    tx(
        s ->
            reviewApps
                .byApp(s, release.app())
                .invoke(
                    found ->
                        found
                            .filter(x -> !x.postdeployDone)
                            .ifPresent(x -> reviewApps.errored(x, error)))
                .replaceWithVoid());
  }

  /** pr-predestroy with the current release, then processes, database and app go. */
  private void teardown(ReviewAppEntity e) {
    String appName = e.appName;
    // Read before the app row goes: its pipeline names the forge the review app was reported on.
    Optional<App> app = await(() -> apps.find(appName));
    Optional<Release> current = await(() -> releases.current(appName));
    if (current.isPresent()) {
      Optional<String> predestroy = script(current.get(), "pr-predestroy");
      if (predestroy.isPresent()) {
        OneOffResult r =
            runtime.runOneOff(
                releaseWorkers.spec(current.get()), predestroy.get(), scriptTimeout, line -> {});
        if (!r.succeeded()) {
          LOG.warnf(
              "pr-predestroy of %s failed (exit %d); destroying anyway", appName, r.exitCode());
        }
      }
    }
    runtime.destroy(appName);
    await(() -> addons.dropAll(appName));
    if (e.databaseName != null) {
      databases.drop(e.databaseName);
    }
    tx(
        s ->
            apps.delete(s, appName)
                .flatMap(v -> find(s, e))
                .flatMap(x -> reviewApps.deleted(s, x)));
    app.map(App::pipelineId)
        .ifPresent(pipeline -> forgeDeployments.reviewAppDestroyed(pipeline, appName));
  }

  /** A script from the app.json of the release's artifact. */
  private Optional<String> script(Release release, String name) {
    ArtifactEntity artifact =
        await(
            () -> sessionFactory.withSession(s -> Artifacts.byDigest(s, release.artifactDigest())));
    if (artifact == null || artifact.appJson == null) {
      return Optional.empty();
    }
    try {
      AppJson appJson = AppJson.parse(artifact.appJson);
      return Optional.ofNullable(
          name.equals("postdeploy")
              ? appJson.scripts().postdeploy()
              : appJson.scripts().prPredestroy());
    } catch (ManifestException ex) {
      return Optional.empty();
    }
  }

  private static Uni<ReviewAppEntity> find(Mutiny.Session s, ReviewAppEntity e) {
    return s.find(ReviewAppEntity.class, e.id);
  }

  private void tx(java.util.function.Function<Mutiny.Session, Uni<Void>> work) {
    await(() -> sessionFactory.withTransaction(work::apply));
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return b;
  }
}

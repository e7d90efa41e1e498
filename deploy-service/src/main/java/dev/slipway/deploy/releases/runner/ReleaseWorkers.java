package dev.slipway.deploy.releases.runner;

import static dev.slipway.platform.work.Blocking.await;

import dev.slipway.apps.config.Redactor;
import dev.slipway.deploy.addons.Addons;
import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.artifacts.Artifacts;
import dev.slipway.deploy.forge.ForgeDeployments;
import dev.slipway.deploy.releases.Release;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.deploy.runtime.AppRuntime.DeployFailedException;
import dev.slipway.deploy.runtime.AppRuntime.OneOffResult;
import dev.slipway.deploy.runtime.AppRuntime.ReleaseSpec;
import dev.slipway.platform.logs.OutputTail;
import dev.slipway.platform.outbox.OutboxRelay;
import dev.slipway.platform.work.WorkerPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deploys pending releases, one at a time per app: runs the release phase, then has the runtime
 * switch to the new processes; records the outcome. At startup it first brings every app back to
 * its current release (the processes did not survive the restart), then resumes pending ones.
 */
@ApplicationScoped
public class ReleaseWorkers {

  private static final Logger LOG = Logger.getLogger(ReleaseWorkers.class);
  private static final int OUTPUT_LINES = 200;

  private final Releases releases;
  private final ForgeDeployments forgeDeployments;
  private final Apps apps;
  private final Artifacts artifacts;
  private final AppRuntime runtime;
  private final Addons addons;
  private final MeterRegistry registry;
  private final int parallelism;
  private final Duration releasePhaseTimeout;
  private final long outputMaxBytes;
  private final boolean enabled;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Duration pollInterval;
  private volatile WorkerPool<Release> pool;
  private final List<BiConsumer<Release, ReleaseSpec>> afterDeploy = new ArrayList<>();
  private final List<BiConsumer<Release, String>> afterFailure = new ArrayList<>();

  public ReleaseWorkers(
      Releases releases,
      Apps apps,
      Artifacts artifacts,
      AppRuntime runtime,
      Addons addons,
      MeterRegistry registry,
      @ConfigProperty(name = "slipway.releases.workers", defaultValue = "2") int parallelism,
      @ConfigProperty(name = "slipway.releases.release-phase-timeout", defaultValue = "10m")
          Duration releasePhaseTimeout,
      @ConfigProperty(name = "slipway.releases.output-max-bytes", defaultValue = "262144")
          long outputMaxBytes,
      @ConfigProperty(name = "slipway.releases.workers-enabled", defaultValue = "true")
          boolean enabled,
      @ConfigProperty(name = "slipway.releases.poll-interval", defaultValue = "30s")
          Duration pollInterval,
      OutboxRelay relay,
      ForgeDeployments forgeDeployments) {
    this.forgeDeployments = forgeDeployments;
    // A release is created with its release.created event: wake on the commit, not on a poll.
    relay.onEventsCommitted(this::wake);
    this.pollInterval = pollInterval;
    this.releases = releases;
    this.apps = apps;
    this.artifacts = artifacts;
    this.runtime = runtime;
    this.addons = addons;
    this.registry = registry;
    this.parallelism = parallelism;
    this.releasePhaseTimeout = releasePhaseTimeout;
    this.outputMaxBytes = outputMaxBytes;
    this.enabled = enabled;
  }

  void onStart(@Observes StartupEvent event) {
    // Crash restarts of every app this instance runs: a rising value means an app keeps crashing.
    registry.gauge(
        "slipway.processes.restarts",
        running,
        apps ->
            apps.stream()
                .flatMap(app -> runtime.processes(app).stream())
                .mapToInt(AppRuntime.ProcessStatus::restarts)
                .sum());
    if (!enabled) {
      return;
    }
    Thread restore = new Thread(this::restoreThenWork, "release-restore");
    restore.setDaemon(true);
    restore.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (pool != null) {
      pool.stop();
    }
  }

  /** Wakes idle workers: a release was created. */
  public void wake() {
    if (pool != null) {
      pool.wake();
    }
  }

  /** Runs {@code hook} after each successful deploy (review apps run postdeploy there). */
  public void afterDeploy(BiConsumer<Release, ReleaseSpec> hook) {
    afterDeploy.add(hook);
  }

  /** Runs {@code hook} with the error after each failed release. */
  public void afterFailure(BiConsumer<Release, String> hook) {
    afterFailure.add(hook);
  }

  private void restoreThenWork() {
    try {
      for (Release current : await(releases::currentOfEveryApp)) {
        busy.add(current.app());
        try {
          runtime.deploy(spec(current), line -> {});
          running.add(current.app());
        } catch (DeployFailedException | RuntimeException e) {
          LOG.warnf(
              "could not bring %s back to v%d: %s",
              current.app(), current.version(), e.getMessage());
        } finally {
          busy.remove(current.app());
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf("restoring apps after a restart failed: %s", e.getMessage());
    }
    pool =
        new WorkerPool<>(
            "release-worker",
            parallelism,
            pollInterval,
            () -> {
              // One release at a time per app: an app being deployed is skipped until it is done.
              synchronized (busy) {
                Optional<Release> next = await(() -> releases.nextPending(Set.copyOf(busy)));
                next.ifPresent(r -> busy.add(r.app()));
                return next;
              }
            },
            release -> {
              try {
                deploy(release);
              } finally {
                busy.remove(release.app());
              }
            });
    pool.start();
  }

  private void deploy(Release pending) {
    Instant started = Instant.now();
    Release prepared = pending;
    String setupError = null;
    try {
      // App setup: app.json add-ons of a pipeline's app, before its first release runs.
      prepared = await(() -> addons.beforeFirstRelease(pending));
    } catch (RuntimeException e) {
      LOG.warnf("add-ons of %s: %s", pending.app(), e.getMessage());
      setupError = "the app.json add-ons could not be provisioned; v1 was not deployed";
    }
    Release release = prepared;
    ReleaseSpec spec = spec(release);
    // Kept with the release for viewers: its last lines, bounded, secrets masked as in the app log.
    OutputTail output = new OutputTail(OUTPUT_LINES, outputMaxBytes);
    Redactor redactor = Redactor.forConfig(spec.config(), spec.secretNames());
    AppRuntime.OutputSink sink =
        line -> {
          String masked = redactor.redact(line);
          synchronized (output) {
            output.add(masked);
          }
        };
    String error = setupError;
    String releaseCommand = release.processTypes().get("release");
    if (error == null && releaseCommand != null) {
      sink.line("Running release command: " + releaseCommand);
      OneOffResult phase = runtime.runOneOff(spec, releaseCommand, releasePhaseTimeout, sink);
      if (!phase.succeeded()) {
        error =
            phase.timedOut()
                ? "release command timed out after " + releasePhaseTimeout.toMinutes() + " min"
                : "release command failed (exit "
                    + phase.exitCode()
                    + "); v"
                    + release.version()
                    + " was not deployed";
      }
    }
    if (error == null) {
      try {
        runtime.deploy(spec, sink);
        running.add(release.app());
      } catch (DeployFailedException e) {
        error = e.getMessage();
      }
    }
    String log;
    synchronized (output) {
      log = String.join("\n", output.last(OUTPUT_LINES));
    }
    boolean ok = error == null;
    String failure = error;
    String url = runtime.url(release.app()).map(URI::toString).orElse(null);
    Release finished =
        pool.untilStored(
            "the end of release " + release.id(),
            () -> await(() -> releases.finish(release.id(), ok, failure, log, url)));
    Timer.builder("slipway.releases.deploy.duration")
        .tag("outcome", ok ? "succeeded" : "failed")
        .tag("cause", release.cause().wireName())
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.between(started, Instant.now()));
    registry
        .counter(
            "slipway.releases",
            "outcome",
            ok ? "succeeded" : "failed",
            "cause",
            release.cause().wireName())
        .increment();
    if (finished == null) {
      return;
    }
    forgeDeployments.releaseFinished(
        finished.app(), finished.version(), finished.artifactDigest(), ok, url);
    if (ok) {
      for (BiConsumer<Release, ReleaseSpec> hook : afterDeploy) {
        try {
          hook.accept(finished, spec);
        } catch (RuntimeException e) {
          LOG.warnf(
              "after-deploy hook for %s v%d: %s", release.app(), release.version(), e.getMessage());
        }
      }
    } else {
      for (BiConsumer<Release, String> hook : afterFailure) {
        try {
          hook.accept(finished, failure);
        } catch (RuntimeException e) {
          LOG.warnf(
              "after-failure hook for %s v%d: %s",
              release.app(), release.version(), e.getMessage());
        }
      }
    }
  }

  /** What the runtime runs for {@code release}: its artifact, config and the app's formation. */
  public ReleaseSpec spec(Release release) {
    Map<String, Integer> formation =
        await(() -> apps.find(release.app()))
            .map(a -> new HashMap<>(a.formation()))
            .orElseGet(HashMap::new);
    if (formation.isEmpty() && release.processTypes().containsKey("web")) {
      formation.put("web", 1);
    }
    formation.remove("release");
    String artifactUri =
        await(() -> artifacts.find(release.artifactDigest())).map(a -> a.uri).orElse(null);
    return new ReleaseSpec(
        release.app(),
        release.version(),
        release.artifactDigest(),
        release.config(),
        release.processTypes(),
        formation,
        artifactUri,
        release.secretNames());
  }
}

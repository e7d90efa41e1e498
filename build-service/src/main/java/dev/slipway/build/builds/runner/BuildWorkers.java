package dev.slipway.build.builds.runner;

import static dev.slipway.platform.work.Blocking.await;

import dev.slipway.apps.artifact.ArchiveException;
import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.StoredArtifact;
import dev.slipway.apps.config.Redactor;
import dev.slipway.apps.process.Cancellation;
import dev.slipway.apps.process.Cancellations;
import dev.slipway.build.builds.Build;
import dev.slipway.build.builds.BuildOutcome;
import dev.slipway.build.builds.BuildPhase;
import dev.slipway.build.builds.Builds;
import dev.slipway.build.executor.BuildExecutor;
import dev.slipway.build.executor.BuildFailure;
import dev.slipway.build.executor.BuildJob;
import dev.slipway.build.executor.BuildProduct;
import dev.slipway.build.source.SourceException;
import dev.slipway.build.source.SourceFetcher;
import dev.slipway.platform.instances.ServiceInstances;
import dev.slipway.platform.logs.LineLogs;
import dev.slipway.platform.logs.OutputCap;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.platform.outbox.OutboxRelay;
import dev.slipway.platform.work.WorkerPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The build queue's workers: {@code parallelism} threads that claim the next build, fetch its
 * commit, pack the source bundle, run the executor, store the artifact and record the outcome.
 */
@ApplicationScoped
public class BuildWorkers {

  private static final Logger LOG = Logger.getLogger(BuildWorkers.class);

  private final Builds builds;
  private final LineLogs logs;
  private final BuildExecutor executor;
  private final ArtifactStore artifacts;
  private final BuildSettings settings;
  private final MeterRegistry registry;
  private final UrlPolicy urlPolicy;
  private final ServiceInstances instances;
  private final Cancellations running = new Cancellations();
  private final AtomicLong queued = new AtomicLong();
  private WorkerPool<Build> pool;

  public BuildWorkers(
      Builds builds,
      LineLogs logs,
      BuildExecutor executor,
      ArtifactStore artifacts,
      BuildSettings settings,
      MeterRegistry registry,
      UrlPolicy urlPolicy,
      ServiceInstances instances,
      OutboxRelay relay) {
    // Another instance's queued build commits a build.queued event: wake on it, not on a poll.
    relay.onEventsCommitted(this::wake);
    // A cancel sent to any replica reaches the one running the build.
    relay.onCancelRequested(this::cancelRunning);
    this.instances = instances;
    this.urlPolicy = urlPolicy;
    this.builds = builds;
    this.logs = logs;
    this.executor = executor;
    this.artifacts = artifacts;
    this.settings = settings;
    this.registry = registry;
  }

  void onStart(@Observes StartupEvent event) {
    registry.gauge("slipway.builds.queued", queued);
    // Now and every heartbeat: end the builds of instances that are gone, never a live one's.
    instances.start(
        abandonment -> {
          int abandoned = await(() -> builds.errorAbandoned(abandonment));
          if (abandoned > 0) {
            LOG.infof("marked %d build(s) left running by a gone instance as errored", abandoned);
          }
        });
    if (!settings.workersEnabled()) {
      return;
    }
    pool =
        new WorkerPool<>(
            "build-worker",
            settings.parallelism(),
            settings.pollInterval(),
            () -> {
              queued.set(await(builds::queueLength));
              return await(() -> builds.claimNext(instances.id()));
            },
            this::run);
    pool.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (pool != null) {
      pool.stop();
    }
    running.cancelAll();
  }

  /** Wakes idle workers: a build was queued. */
  public void wake() {
    if (pool != null) {
      pool.wake();
    }
  }

  /** Stops a build running here; false when it does not run on this instance. */
  public boolean cancelRunning(UUID buildId) {
    return running.cancel(buildId);
  }

  private void run(Build build) {
    Instant started = Instant.now();
    Cancellation cancellation = running.started(build.id());
    // A cancel that came between the claim and now found nothing running here to stop.
    if (await(() -> builds.cancelRequested(build.id()))) {
      cancellation.cancel();
    }
    Path workspace = settings.workDir().resolve("builds").resolve(build.id().toString());
    BuildOutcome outcome;
    try (LineLogs.Writer log =
        logs.open(
            build.id(),
            0,
            Redactor.forConfig(settings.configVars())::redact,
            new OutputCap(settings.logMaxBytes(), settings.logMaxLines()))) {
      outcome = execute(build, workspace, cancellation, log);
      if (log.capped() && outcome.phase() != BuildPhase.SUCCEEDED) {
        // Stopped for printing too much: the build's own doing, so failed, not cancelled.
        outcome =
            BuildOutcome.ended(
                BuildPhase.FAILED,
                log.cappedReason() + ": the build was stopped",
                outcome.sourceBundleDigest(),
                outcome.sourceBundleUri());
      }
      log.line(
          outcome.phase() == BuildPhase.SUCCEEDED
              ? "-----> Build succeeded: " + outcome.artifactDigest()
              : "-----> Build " + outcome.phase().wireName() + ": " + outcome.error());
    } catch (RuntimeException e) {
      LOG.errorf(e, "build %s errored", build.id());
      outcome = BuildOutcome.ended(BuildPhase.ERRORED, "internal error: " + e, null, null);
    } finally {
      running.finished(build.id());
      deleteQuietly(workspace);
    }
    BuildOutcome ended = outcome;
    pool.untilStored(
        "the end of build " + build.id(), () -> await(() -> builds.complete(build.id(), ended)));
    Timer.builder("slipway.builds.duration")
        .tag("outcome", ended.phase().wireName())
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.between(started, Instant.now()));
  }

  private BuildOutcome execute(
      Build build, Path workspace, Cancellation cancellation, LineLogs.Writer log) {
    Instant deadline = Instant.now().plus(settings.timeout());
    Path sourceDir = workspace.resolve("app");
    String bundleDigest = null;
    String bundleUri = null;
    try {
      Files.createDirectories(workspace);
      Instant committed =
          new SourceFetcher(settings.fetchTimeout(), urlPolicy)
              .fetch(
                  build.repositoryUrl(),
                  build.commitSha(),
                  build.branch(),
                  build.prNumber(),
                  sourceDir,
                  capped(log, cancellation));
      deleteQuietly(sourceDir.resolve(".git"));
      Path bundle = workspace.resolve("source.tar.gz");
      Archives.pack(sourceDir, bundle, p -> true);
      StoredArtifact stored = artifacts.put(bundle);
      bundleDigest = stored.digest().toString();
      bundleUri = stored.uri().toString();
      log.line("-----> Source bundle " + bundleDigest + " (" + stored.size() + " bytes)");
      if (cancellation.isCancelled()) {
        return BuildOutcome.ended(BuildPhase.CANCELLED, "cancelled", bundleDigest, bundleUri);
      }
      BuildProduct product =
          executor.build(
              new BuildJob(
                  build.id(),
                  build.pipelineId(),
                  build.commitSha(),
                  committed,
                  sourceDir,
                  bundleDigest,
                  bundleUri,
                  build.fork() ? Map.of() : settings.configVars(),
                  deadline,
                  cancellation,
                  build.fork()),
              capped(log, cancellation)::accept);
      if (product.slug() == null) {
        return new BuildOutcome(
            BuildPhase.SUCCEEDED,
            null,
            bundleDigest,
            bundleUri,
            product.imageDigest(),
            product.imageReference(),
            null,
            product.processTypes(),
            product.stack(),
            product.buildpacks(),
            appJson(sourceDir));
      }
      StoredArtifact slug = artifacts.put(product.slug());
      return new BuildOutcome(
          BuildPhase.SUCCEEDED,
          null,
          bundleDigest,
          bundleUri,
          slug.digest().toString(),
          slug.uri().toString(),
          slug.size(),
          product.processTypes(),
          product.stack(),
          product.buildpacks(),
          appJson(sourceDir));
    } catch (SourceException e) {
      return BuildOutcome.ended(
          e.usersFault() ? BuildPhase.FAILED : BuildPhase.ERRORED, e.getMessage(), null, null);
    } catch (BuildFailure e) {
      BuildPhase phase =
          switch (e.kind()) {
            case FAILED -> BuildPhase.FAILED;
            case ERRORED -> BuildPhase.ERRORED;
            case CANCELLED -> BuildPhase.CANCELLED;
          };
      String message =
          phase == BuildPhase.ERRORED && e.getMessage().contains("timeout")
              ? "build exceeded its "
                  + settings.timeout().toMinutes()
                  + " min timeout"
                  + (settings.timeout().toMinutes() == 0
                      ? " (" + settings.timeout().toSeconds() + " s)"
                      : "")
              : e.getMessage();
      return BuildOutcome.ended(phase, message, bundleDigest, bundleUri);
    } catch (ArchiveException e) {
      // The repository holds what no bundle may (an absolute or escaping symlink, a device):
      // the user's to fix, so the build failed rather than errored.
      return BuildOutcome.ended(
          BuildPhase.FAILED, "source: " + e.getMessage(), bundleDigest, bundleUri);
    } catch (IOException e) {
      return BuildOutcome.ended(
          BuildPhase.ERRORED,
          "workspace or artifact store: " + e.getMessage(),
          bundleDigest,
          bundleUri);
    }
  }

  /** Writes to the build's log and stops the build once the log reaches its cap. */
  private static Consumer<String> capped(LineLogs.Writer log, Cancellation cancellation) {
    return line -> {
      log.line(line);
      if (log.capped()) {
        cancellation.cancel();
      }
    };
  }

  /** The app's app.json as committed, for the event; too large or unreadable means none. */
  private static String appJson(Path sourceDir) {
    Path file = sourceDir.resolve("app.json");
    try {
      if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          || Files.size(file) > 64 * 1024) {
        return null;
      }
      return Files.readString(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debugf("could not delete %s: %s", dir, e.getMessage());
    }
  }
}

package dev.slipway.testing.runs.runner;

import static dev.slipway.platform.work.Blocking.await;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.Digest;
import dev.slipway.apps.config.Redactor;
import dev.slipway.apps.config.SecretNames;
import dev.slipway.apps.process.Cancellation;
import dev.slipway.apps.process.Cancellations;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.instances.Abandonment;
import dev.slipway.platform.instances.ServiceInstances;
import dev.slipway.platform.logs.LineLogs;
import dev.slipway.platform.logs.OutputCap;
import dev.slipway.platform.outbox.OutboxRelay;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.secrets.PlatformSecrets;
import dev.slipway.platform.work.WorkerPool;
import dev.slipway.testing.executor.NodeOutput;
import dev.slipway.testing.executor.RunListener;
import dev.slipway.testing.executor.TestExecution;
import dev.slipway.testing.executor.TestExecutor;
import dev.slipway.testing.executor.TestJob;
import dev.slipway.testing.runs.FlakyTest;
import dev.slipway.testing.runs.RunResult;
import dev.slipway.testing.runs.TestRun;
import dev.slipway.testing.runs.TestRunPhase;
import dev.slipway.testing.runs.TestRuns;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The test-run queue's workers: {@code parallelism} threads that claim the next pending run, fetch
 * its source bundle, have the executor run its nodes, and record the verdict.
 */
@ApplicationScoped
public class TestRunWorkers {

  private static final Logger LOG = Logger.getLogger(TestRunWorkers.class);

  private final TestRuns runs;
  private final LineLogs logs;
  private final TestExecutor executor;
  private final ArtifactStore artifacts;
  private final PipelineDirectory pipelines;
  private final PlatformSecrets secrets;
  private final CommitStatusReporter statuses;
  private final TestRunSettings settings;
  private final MeterRegistry registry;
  private final ServiceInstances instances;
  private final Cancellations running = new Cancellations();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicBoolean firstSweep = new AtomicBoolean(true);
  private WorkerPool<TestRun> pool;

  public TestRunWorkers(
      TestRuns runs,
      LineLogs logs,
      TestExecutor executor,
      ArtifactStore artifacts,
      PipelineDirectory pipelines,
      PlatformSecrets secrets,
      CommitStatusReporter statuses,
      TestRunSettings settings,
      MeterRegistry registry,
      ServiceInstances instances,
      OutboxRelay relay) {
    // Another instance's queued run commits a testsuiterun.queued event: wake on it, not on a poll.
    relay.onEventsCommitted(this::wake);
    // A cancel sent to any replica reaches the one running the run.
    relay.onCancelRequested(this::cancelRunning);
    this.instances = instances;
    this.runs = runs;
    this.logs = logs;
    this.executor = executor;
    this.artifacts = artifacts;
    this.pipelines = pipelines;
    this.secrets = secrets;
    this.statuses = statuses;
    this.settings = settings;
    this.registry = registry;
  }

  void onStart(@Observes StartupEvent event) {
    registry.gauge("slipway.testruns.pending", pending);
    // Now and every heartbeat: end the runs of instances that are gone, never a live one's.
    instances.start(this::sweep);
    if (!settings.workersEnabled()) {
      return;
    }
    pool =
        new WorkerPool<>(
            "test-run-worker",
            settings.parallelism(),
            settings.pollInterval(),
            () -> {
              pending.set(await(runs::pendingCount));
              return await(() -> runs.claimNext(instances.id()));
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

  /** Errors the runs of gone instances, then removes what ended runs left behind. */
  private void sweep(Abandonment abandonment) {
    List<TestRun> abandoned = await(() -> runs.errorAbandoned(abandonment));
    if (!abandoned.isEmpty()) {
      LOG.infof(
          "marked %d test run(s) left running by a gone instance as errored", abandoned.size());
      abandoned.forEach(r -> statuses.report(r, pipeline(r)));
    }
    // At startup (a previous incarnation's leftovers) and after runs were errored; not every beat.
    if (firstSweep.getAndSet(false) || !abandoned.isEmpty()) {
      executor.sweepAbandoned(ids -> Set.copyOf(await(() -> runs.unended(ids))));
    }
  }

  /** Wakes idle workers: a run was queued. */
  public void wake() {
    if (pool != null) {
      pool.wake();
    }
  }

  /** Stops a run executing here; false when it does not run on this instance. */
  public boolean cancelRunning(UUID runId) {
    return running.cancel(runId);
  }

  private void run(TestRun run) {
    Instant started = Instant.now();
    Cancellation cancellation = running.started(run.id());
    Optional<PipelineSnapshot> pipeline = pipeline(run);
    statuses.report(run, pipeline);
    RunResult result;
    try {
      if (await(() -> runs.cancelRequested(run.id()))) {
        cancellation.cancel();
      }
      result = execute(run, pipeline, cancellation);
    } catch (RuntimeException e) {
      LOG.errorf(e, "test run %s errored", run.id());
      result = RunResult.ended(TestRunPhase.ERRORED, "internal error: " + e);
    } finally {
      running.finished(run.id());
    }
    RunResult ended = result;
    TestRuns.Ended end =
        pool.untilStored(
            "the end of test run " + run.id(), () -> await(() -> runs.complete(run.id(), ended)));
    if (end.run() == null) {
      return;
    }
    statuses.report(end.run(), pipeline);
    String outcome = end.run().phase().wireName();
    registry.counter("slipway.testruns.finished", "outcome", outcome).increment();
    Timer.builder("slipway.testruns.duration")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.between(started, Instant.now()));
    for (FlakyTest flaky : end.flaky()) {
      registry.counter("slipway.testruns.flaky").increment();
      LOG.infof(
          "flaky test in pipeline %s: %s %s failed in run %s, passed in run %s",
          run.pipelineId(), flaky.suite(), flaky.name(), flaky.failedRunId(), flaky.passedRunId());
    }
  }

  private RunResult execute(
      TestRun run, Optional<PipelineSnapshot> pipeline, Cancellation cancellation) {
    if (run.sourceBundleDigest() == null) {
      return RunResult.ended(
          TestRunPhase.ERRORED, "build " + run.buildId() + " has no source bundle to test");
    }
    Path bundle;
    try {
      bundle = artifacts.fetch(Digest.parse(run.sourceBundleDigest()));
    } catch (IOException | IllegalArgumentException e) {
      return RunResult.ended(
          TestRunPhase.ERRORED,
          "source bundle " + run.sourceBundleDigest() + " is not in the artifact store");
    }
    // Fork builds run code nobody vetted: they get no pipeline secrets and no operator vars.
    Map<String, String> testVars =
        run.fork() ? Map.of() : pipeline.map(secrets::testConfigVars).orElse(Map.of());
    Map<String, String> configVars = run.fork() ? Map.of() : settings.configVars();
    Map<String, String> env = new HashMap<>(testVars);
    env.put("CI", "true");
    env.put("HEROKU_TEST_RUN_ID", run.id().toString());
    env.put("SLIPWAY_TEST_RUN_ID", run.id().toString());
    env.put("HEROKU_TEST_RUN_NUMBER", Integer.toString(run.number()));
    env.put("HEROKU_TEST_RUN_BRANCH", run.branch());
    env.put("HEROKU_TEST_RUN_COMMIT_VERSION", run.commitSha());
    env.put("SOURCE_VERSION", run.commitSha());
    if (run.prNumber() != null) {
      env.put("HEROKU_PR_NUMBER", run.prNumber().toString());
    }
    // The API shows every pipeline test config var redacted, so the output masks every one of
    // their values; the operator's vars only when they look secret, as elsewhere.
    List<String> secretValues = new ArrayList<>(testVars.values());
    configVars.forEach(
        (k, v) -> {
          if (SecretNames.looksSecret(k, v)) {
            secretValues.add(v);
          }
        });
    Instant deadline = Instant.now().plus(settings.timeout());
    TestJob job =
        new TestJob(
            run.id(),
            run.pipelineId(),
            bundle,
            env,
            configVars,
            deadline,
            cancellation,
            run.fork());
    TestExecution execution = executor.run(job, listener(run, secretValues));
    if (execution.abortPhase() != null) {
      return RunResult.ended(
          cancellation.isCancelled() ? TestRunPhase.CANCELLED : execution.abortPhase(),
          cancellation.isCancelled() ? "cancelled" : execution.abortMessage());
    }
    return RunResult.of(execution.nodes(), cancellation.isCancelled(), settings.timeout());
  }

  private RunListener listener(TestRun run, List<String> secretValues) {
    return new RunListener() {
      private final Set<TestRunPhase> reached = ConcurrentHashMap.newKeySet();

      @Override
      public void nodesPlanned(int count) {
        await(() -> runs.planNodes(run.id(), count));
      }

      @Override
      public void phase(TestRunPhase phase) {
        if (reached.add(phase)) {
          await(() -> runs.advance(run.id(), phase));
        }
      }

      @Override
      public NodeOutput output(int index, Set<String> secrets) {
        List<String> hidden = new ArrayList<>(secretValues);
        hidden.addAll(secrets);
        LineLogs.Writer writer =
            logs.open(
                run.id(),
                index,
                Redactor.of(hidden)::redact,
                new OutputCap(settings.outputMaxBytes(), settings.outputMaxLines()));
        return new NodeOutput() {
          @Override
          public void line(String text) {
            writer.line(text);
          }

          @Override
          public boolean capped() {
            return writer.capped();
          }

          @Override
          public String cappedReason() {
            return writer.cappedReason();
          }

          @Override
          public void close() {
            writer.close();
          }
        };
      }
    };
  }

  private Optional<PipelineSnapshot> pipeline(TestRun run) {
    try {
      return await(() -> pipelines.find(run.pipelineId().toString()));
    } catch (RuntimeException e) {
      LOG.warnf("pipeline %s unreadable: %s", run.pipelineId(), e.getMessage());
      return Optional.empty();
    }
  }
}

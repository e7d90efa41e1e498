package dev.slipway.testing.executor.local;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.buildpack.BuiltinBuildpacks;
import dev.slipway.apps.manifest.AppEnvironment;
import dev.slipway.apps.manifest.AppManifest;
import dev.slipway.apps.manifest.EnvVar;
import dev.slipway.apps.manifest.Formation;
import dev.slipway.apps.manifest.ManifestException;
import dev.slipway.apps.manifest.Scripts;
import dev.slipway.apps.process.AppProfile;
import dev.slipway.apps.process.Channel;
import dev.slipway.apps.process.ChildProcesses;
import dev.slipway.apps.process.Ending;
import dev.slipway.apps.process.HostEnvironment;
import dev.slipway.apps.process.ProcessResult;
import dev.slipway.apps.process.ProcessSpec;
import dev.slipway.apps.process.RunningProcess;
import dev.slipway.apps.process.Sandbox;
import dev.slipway.apps.process.SandboxLimits;
import dev.slipway.apps.process.SandboxSupport;
import dev.slipway.platform.addons.PostgresDatabases;
import dev.slipway.platform.addons.PostgresSocketProxy;
import dev.slipway.testing.executor.NodeOutput;
import dev.slipway.testing.executor.RunListener;
import dev.slipway.testing.executor.TestAddons;
import dev.slipway.testing.executor.TestExecution;
import dev.slipway.testing.executor.TestExecutor;
import dev.slipway.testing.executor.TestJob;
import dev.slipway.testing.results.JUnitReportFinder;
import dev.slipway.testing.results.JUnitXmlParser;
import dev.slipway.testing.results.TapParser;
import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.runs.NodeResult;
import dev.slipway.testing.runs.NodeStatus;
import dev.slipway.testing.runs.TestRunPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The local test executor: each node is a child process tree in its own workspace with the bundle
 * unpacked, the detected buildpack's {@code bin/test-compile}, then app.json's {@code test-setup}
 * and {@code test} (or the buildpack's {@code bin/test}); workspaces and add-on databases are
 * removed whatever happens.
 *
 * <p>Every step runs in the sandbox, which sees the node's workspace and the cache it is entitled
 * to (a fork's is its own and thrown away). {@code bin/detect} and {@code bin/test-compile} keep
 * the host network (package registries); {@code test-setup} and {@code test} get a network
 * namespace of their own, so nodes of concurrent runs may all listen on port 5000, and reach their
 * add-on database through a Unix socket bound into the sandbox. Without the sandbox a fork's run
 * ends errored and other runs run unsandboxed with a warning.
 *
 * <p>Over 500 lines because a node's whole life (workspace, cache, add-on database, four sandboxed
 * steps, cancellation, clean-up) is one sequence that reads best in one place.
 */
public final class LocalTestExecutor implements TestExecutor {

  private static final Logger LOG = Logger.getLogger(LocalTestExecutor.class);
  private static final Pattern RUN_DATABASE = Pattern.compile("slipway_ci_([0-9a-f]{32})_[0-9]+");
  private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String POSTGRES = TestAddons.POSTGRES;
  private static final Map<String, String> ALIASES =
      Map.of(
          "heroku/java", "maven",
          "heroku/maven", "maven",
          "maven", "maven",
          "heroku/nodejs", "nodejs",
          "nodejs", "nodejs");

  private static final NodeOutput DISCARD =
      new NodeOutput() {
        @Override
        public void line(String text) {}

        @Override
        public void close() {}
      };

  private final Path workRoot;
  private final Path buildpacksDir;
  private final Path cacheRoot;
  private final long maxBundleBytes;
  private final int maxNodes;
  private final List<String> junitGlobs;
  private final PostgresDatabases databases;
  private final SandboxLimits limits;
  private final List<Path> readOnly;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param workRoot one workspace directory per run lives under it, deleted when the run ends
   * @param cacheRoot one buildpack cache per pipeline and node index, kept between runs
   * @param databases the heroku-postgresql provisioner, or null when none is available
   * @param limits of each node's sandboxed process trees
   * @param readOnly host paths nodes may also read (e.g. a pre-populated Maven repository)
   */
  public LocalTestExecutor(
      Path workRoot,
      Path buildpacksDir,
      Path cacheRoot,
      long maxBundleBytes,
      int maxNodes,
      List<String> junitGlobs,
      PostgresDatabases databases,
      SandboxLimits limits,
      List<Path> readOnly) {
    this.workRoot = workRoot;
    this.buildpacksDir = buildpacksDir;
    this.cacheRoot = cacheRoot;
    this.maxBundleBytes = maxBundleBytes;
    this.maxNodes = maxNodes;
    this.junitGlobs = List.copyOf(junitGlobs);
    this.databases = databases;
    this.limits = limits;
    this.readOnly = List.copyOf(readOnly);
  }

  /** The workspace of a run: exists only while it runs. */
  public Path workspace(UUID runId) {
    return workRoot.resolve(runId.toString());
  }

  /**
   * Removes the workspaces and add-on databases of runs that ended or were abandoned. Listed first,
   * then asked about: a run claimed after the listing has no workspace in it yet.
   */
  @Override
  public void sweepAbandoned(Unended unended) {
    Map<Path, UUID> workspaces = new HashMap<>();
    if (Files.isDirectory(workRoot)) {
      try (Stream<Path> entries = Files.list(workRoot)) {
        entries.forEach(p -> workspaces.put(p, runIdOfWorkspace(p.getFileName().toString())));
      } catch (IOException e) {
        LOG.warnf("could not list test workspaces: %s", e.getMessage());
      }
    }
    Set<UUID> candidates = new HashSet<>();
    workspaces.values().stream().filter(java.util.Objects::nonNull).forEach(candidates::add);
    List<String> databaseNames = databases == null ? List.of() : databases.existing();
    databaseNames.stream()
        .map(LocalTestExecutor::runIdOfDatabase)
        .filter(java.util.Objects::nonNull)
        .forEach(candidates::add);
    Set<UUID> inUse = candidates.isEmpty() ? Set.of() : unended.of(candidates);
    workspaces.forEach(
        (path, runId) -> {
          if (runId == null || !inUse.contains(runId)) {
            deleteQuietly(path);
          }
        });
    // Only what was listed before asking: a database made since belongs to a run just claimed.
    List<String> unused =
        databaseNames.stream()
            .filter(
                name -> {
                  UUID runId = runIdOfDatabase(name);
                  return runId == null || !inUse.contains(runId);
                })
            .distinct()
            .toList();
    if (!unused.isEmpty()) {
      unused.forEach(databases::drop);
      LOG.infof("dropped %d test database(s) of ended or abandoned runs", unused.size());
    }
  }

  private static UUID runIdOfWorkspace(String name) {
    try {
      return UUID.fromString(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The run of a database named {@code slipway_ci_<run id without dashes>_<node>}; else null. */
  static UUID runIdOfDatabase(String name) {
    Matcher m = RUN_DATABASE.matcher(name);
    if (!m.matches()) {
      return null;
    }
    String hex = m.group(1);
    return UUID.fromString(
        hex.substring(0, 8)
            + "-"
            + hex.substring(8, 12)
            + "-"
            + hex.substring(12, 16)
            + "-"
            + hex.substring(16, 20)
            + "-"
            + hex.substring(20));
  }

  @Override
  public TestExecution run(TestJob job, RunListener listener) {
    SandboxSupport sandboxing = SandboxSupport.current();
    if (job.fork() && !sandboxing.available()) {
      return TestExecution.aborted(TestRunPhase.ERRORED, sandboxing.refusal());
    }
    Path runDir = workspace(job.runId());
    try {
      Path source = runDir.resolve("source");
      try {
        Archives.unpack(job.sourceBundle(), source, maxBundleBytes);
      } catch (IOException e) {
        return TestExecution.aborted(
            TestRunPhase.ERRORED, "could not unpack the source bundle: " + e.getMessage());
      }
      AppManifest manifest;
      try {
        manifest = AppManifest.read(source);
      } catch (ManifestException e) {
        return TestExecution.aborted(TestRunPhase.FAILED, e.getMessage());
      }
      AppEnvironment test = manifest.appJson().environment("test").orElse(AppEnvironment.empty());
      Optional<String> unsupported = TestAddons.refusal(test.addons());
      if (unsupported.isPresent()) {
        return TestExecution.aborted(TestRunPhase.FAILED, unsupported.get());
      }
      boolean wantsDatabase = !test.addons().isEmpty();
      if (wantsDatabase && databases == null) {
        return TestExecution.aborted(
            TestRunPhase.ERRORED, "add-on " + POSTGRES + " is not available on this executor");
      }
      Formation formation = test.formation().get("test");
      int quantity = formation == null ? 1 : Math.max(1, formation.quantity());
      if (quantity > maxNodes) {
        return TestExecution.aborted(
            TestRunPhase.FAILED,
            "app.json: environments.test.formation.test.quantity is "
                + quantity
                + ", above this platform's limit of "
                + maxNodes);
      }
      Map<String, Path> builtins;
      try {
        builtins = BuiltinBuildpacks.extract(buildpacksDir);
      } catch (IOException e) {
        return TestExecution.aborted(
            TestRunPhase.ERRORED, "built-in buildpacks unavailable: " + e.getMessage());
      }
      Map<String, String> appEnv = appEnvironment(test.env());
      listener.nodesPlanned(quantity);
      boolean database = wantsDatabase;
      ExecutorService pool =
          Executors.newFixedThreadPool(
              quantity,
              r -> {
                Thread t = new Thread(r, "test-node-" + job.runId());
                t.setDaemon(true);
                return t;
              });
      try {
        List<CompletableFuture<NodeResult>> nodes = new ArrayList<>();
        for (int i = 0; i < quantity; i++) {
          int index = i;
          nodes.add(
              CompletableFuture.supplyAsync(
                  () ->
                      node(
                          job, listener, index, quantity, runDir, test, manifest, builtins, appEnv,
                          database),
                  pool));
        }
        List<NodeResult> results = new ArrayList<>();
        for (CompletableFuture<NodeResult> node : nodes) {
          results.add(node.join());
        }
        return TestExecution.of(results);
      } finally {
        pool.shutdownNow();
      }
    } finally {
      deleteQuietly(runDir);
    }
  }

  private NodeResult node(
      TestJob job,
      RunListener listener,
      int index,
      int total,
      Path runDir,
      AppEnvironment test,
      AppManifest manifest,
      Map<String, Path> builtins,
      Map<String, String> appEnv,
      boolean wantsDatabase) {
    Instant started = Instant.now();
    Path nodeDir = runDir.resolve("node-" + index);
    Path app = nodeDir.resolve("app");
    // A fork never sees the cache the pipeline's own runs use (cache poisoning).
    Path cache =
        job.fork()
            ? nodeDir.resolve("fork-cache")
            : cacheRoot.resolve(job.pipelineId().toString()).resolve("node-" + index);
    List<Path> visible = new ArrayList<>(builtins.values());
    visible.addAll(readOnly);
    Sandbox sandbox =
        Sandbox.writing(nodeDir, cache)
            .withReadOnly(visible)
            .withHome(cache)
            .withLimits(limits)
            .untrusted(job.fork());
    boolean sandboxed = SandboxSupport.current().available();
    PostgresDatabases.Database database = null;
    PostgresSocketProxy socket = null;
    Map<String, String> env = new HashMap<>(HostEnvironment.essentials());
    env.putAll(job.configVars());
    env.putAll(appEnv);
    env.putAll(job.environment());
    env.put("CI_NODE_TOTAL", Integer.toString(total));
    env.put("CI_NODE_INDEX", Integer.toString(index));
    String databaseError = null;
    if (wantsDatabase) {
      try {
        database = databases.create(job.runId().toString().replace("-", "") + "_" + index);
        env.put("DATABASE_URL", database.url());
        if (sandboxed) {
          // Tests have no route to the host's loopback: the database is reached over a socket.
          socket = databases.socket(database);
          sandbox = sandbox.withSockets(List.of(socket.directory()));
          env.put("DATABASE_URL", socket.url());
        }
      } catch (SQLException | IOException e) {
        databaseError = "could not create the heroku-postgresql database: " + e.getMessage();
      }
    }
    // Generated secrets are shown redacted by the API, so they are masked in the output too.
    Set<String> hidden = new HashSet<>();
    test.env()
        .forEach(
            (key, var) -> {
              if (var.generatesSecret() && appEnv.get(key) != null) {
                hidden.add(appEnv.get(key));
              }
            });
    if (database != null) {
      hidden.addAll(List.of(database.url(), database.password()));
    }
    if (socket != null) {
      hidden.add(socket.url());
    }
    try (NodeOutput out = listener.output(index, hidden)) {
      if (databaseError != null) {
        out.line("-----> " + databaseError);
        return result(index, NodeStatus.ERRORED, null, started, databaseError, List.of());
      }
      if (!sandboxed) {
        out.line("-----> Warning: " + SandboxSupport.current().summary());
      }
      return steps(
          job, listener, out, index, nodeDir, app, cache, sandbox, test, manifest, builtins, env,
          started);
    } catch (IOException e) {
      return result(
          index, NodeStatus.ERRORED, null, started, "workspace: " + e.getMessage(), List.of());
    } catch (RuntimeException e) {
      LOG.errorf(e, "test run %s node %d errored", job.runId(), index);
      return result(index, NodeStatus.ERRORED, null, started, "internal error: " + e, List.of());
    } finally {
      if (socket != null) {
        socket.close();
      }
      if (database != null) {
        databases.drop(database);
      }
      deleteQuietly(nodeDir);
    }
  }

  private NodeResult steps(
      TestJob job,
      RunListener listener,
      NodeOutput out,
      int index,
      Path nodeDir,
      Path app,
      Path cache,
      Sandbox sandbox,
      AppEnvironment test,
      AppManifest manifest,
      Map<String, Path> builtins,
      Map<String, String> env,
      Instant started)
      throws IOException {
    Archives.unpack(job.sourceBundle(), app, maxBundleBytes);
    Files.createDirectories(cache);
    Path envDir = nodeDir.resolve("env");
    writeEnvDir(envDir, env);
    Scripts scripts = test.scripts();
    Map.Entry<String, Path> buildpack =
        chooseBuildpack(job, manifest, test, builtins, app, env, sandbox, out);
    // Tests get a network namespace of their own: only their own loopback.
    Sandbox isolated = sandbox.withOwnNetwork();
    if (buildpack != null) {
      listener.phase(TestRunPhase.BUILDING);
      ProcessResult compiled =
          run(
              List.of(
                  buildpack.getValue().resolve("bin/test-compile").toString(),
                  app.toString(),
                  cache.toString(),
                  envDir.toString()),
              app,
              env,
              sandbox,
              job,
              out,
              null);
      if (out.capped()) {
        return overCap(index, compiled, started, out);
      }
      if (!compiled.succeeded()) {
        return stopped(index, compiled, started, "test-compile failed", NodeStatus.FAILED, out);
      }
    } else if (scripts.test() == null) {
      String message =
          "no test command: set environments.test.scripts.test in app.json (no buildpack"
              + " detected this app)";
      out.line("-----> " + message);
      return result(index, NodeStatus.FAILED, null, started, message, List.of());
    }
    listener.phase(TestRunPhase.RUNNING);
    if (scripts.testSetup() != null) {
      out.line("-----> Running test-setup: " + scripts.testSetup());
      ProcessResult setup = run(script(scripts.testSetup()), app, env, isolated, job, out, null);
      if (out.capped()) {
        return overCap(index, setup, started, out);
      }
      if (!setup.succeeded()) {
        return stopped(index, setup, started, "test-setup failed", NodeStatus.ERRORED, out);
      }
    }
    TapParser.Feed stdout = TapParser.feed();
    ProcessResult tested;
    if (scripts.test() != null) {
      out.line("-----> Running test: " + scripts.test());
      tested = run(script(scripts.test()), app, env, isolated, job, out, stdout);
    } else {
      out.line("-----> Running the " + buildpack.getKey() + " buildpack's bin/test");
      tested =
          run(
              List.of(
                  buildpack.getValue().resolve("bin/test").toString(),
                  app.toString(),
                  envDir.toString()),
              app,
              env,
              isolated,
              job,
              out,
              stdout);
    }
    if (out.capped()) {
      return overCap(index, tested, started, out);
    }
    List<TestCaseResult> cases = new ArrayList<>(stdout.finish());
    for (Path report : JUnitReportFinder.find(app, junitGlobs)) {
      if (cases.size() >= TapParser.MAX_CASES) {
        out.line("-----> More than " + TapParser.MAX_CASES + " test cases: the rest were not read");
        break;
      }
      try {
        List<TestCaseResult> read = JUnitXmlParser.parse(report);
        cases.addAll(read.subList(0, Math.min(read.size(), TapParser.MAX_CASES - cases.size())));
      } catch (IOException | RuntimeException e) {
        out.line(
            "-----> Could not read JUnit report " + app.relativize(report) + ": " + e.getMessage());
      }
    }
    if (tested.ending() != Ending.EXITED) {
      return stopped(index, tested, started, "tests", NodeStatus.FAILED, out);
    }
    NodeStatus status = tested.succeeded() ? NodeStatus.PASSED : NodeStatus.FAILED;
    String message = tested.succeeded() ? null : "tests failed (exit " + tested.exitCode() + ")";
    out.line(
        "-----> Tests "
            + (tested.succeeded() ? "passed" : "failed with exit code " + tested.exitCode())
            + " ("
            + cases.size()
            + " test cases)");
    return result(index, status, tested.exitCode(), started, message, cases);
  }

  private Map.Entry<String, Path> chooseBuildpack(
      TestJob job,
      AppManifest manifest,
      AppEnvironment test,
      Map<String, Path> builtins,
      Path app,
      Map<String, String> env,
      Sandbox sandbox,
      NodeOutput out)
      throws IOException {
    List<dev.slipway.apps.manifest.Buildpack> declared =
        test.buildpacks().isEmpty() ? manifest.appJson().buildpacks() : test.buildpacks();
    for (dev.slipway.apps.manifest.Buildpack bp : declared) {
      String builtin = ALIASES.get(bp.url().toLowerCase(Locale.ROOT));
      if (builtin != null && builtins.containsKey(builtin)) {
        out.line("-----> Using the " + builtin + " buildpack from app.json");
        return Map.entry(builtin, builtins.get(builtin));
      }
    }
    for (String name : BuiltinBuildpacks.names()) {
      Path dir = builtins.get(name);
      if (dir == null) {
        continue;
      }
      ProcessResult r =
          run(
              List.of(dir.resolve("bin/detect").toString(), app.toString()),
              app,
              env,
              sandbox,
              job,
              DISCARD,
              null);
      if (r.succeeded()) {
        out.line("-----> " + name + " app detected");
        return Map.entry(name, dir);
      }
    }
    return null;
  }

  private static List<String> script(String script) {
    // The profile as a dyno sources it; the script reaches bash only as an argument.
    return AppProfile.argv("bash", script);
  }

  private static NodeResult stopped(
      int index,
      ProcessResult r,
      Instant started,
      String what,
      NodeStatus whenExited,
      NodeOutput out) {
    return switch (r.ending()) {
      case CANCELLED -> {
        out.line("-----> Cancelled");
        yield result(index, NodeStatus.CANCELLED, r.exitCode(), started, "cancelled", List.of());
      }
      case TIMED_OUT -> {
        out.line("-----> Timed out");
        yield result(index, NodeStatus.TIMED_OUT, r.exitCode(), started, "timed out", List.of());
      }
      case EXITED -> {
        String message = what + " (exit " + r.exitCode() + ")";
        out.line("-----> " + message);
        yield result(index, whenExited, r.exitCode(), started, message, List.of());
      }
    };
  }

  /**
   * The node printed more than its output may hold: its process was stopped, and the node fails
   * (the user's code did it, so not {@code errored}).
   */
  private static NodeResult overCap(int index, ProcessResult r, Instant started, NodeOutput out) {
    String message = out.cappedReason() + ": the process was stopped";
    return result(index, NodeStatus.FAILED, r.exitCode(), started, message, List.of());
  }

  private static NodeResult result(
      int index,
      NodeStatus status,
      Integer exitCode,
      Instant started,
      String message,
      List<TestCaseResult> cases) {
    return new NodeResult(
        index, status, exitCode, Duration.between(started, Instant.now()), message, cases);
  }

  /**
   * Runs one step; output goes to the node's output, and stdout lines also to {@code stdout} when
   * given (for TAP). A deadline already passed or a cancellation ends it at once, and so does the
   * output reaching its cap.
   */
  private static ProcessResult run(
      List<String> command,
      Path dir,
      Map<String, String> env,
      Sandbox sandbox,
      TestJob job,
      NodeOutput out,
      TapParser.Feed stdout)
      throws IOException {
    Duration left = Duration.between(Instant.now(), job.deadline());
    if (left.isNegative() || left.isZero()) {
      return new ProcessResult(-1, Ending.TIMED_OUT, Duration.ZERO);
    }
    if (job.cancellation().isCancelled()) {
      return new ProcessResult(-1, Ending.CANCELLED, Duration.ZERO);
    }
    AtomicReference<RunningProcess> started = new AtomicReference<>();
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(command, dir, env, left, sandbox),
            (channel, line) -> {
              out.line(line);
              if (out.capped()) {
                RunningProcess self = started.get();
                if (self != null) {
                  self.cancel();
                }
              } else if (stdout != null && channel == Channel.STDOUT) {
                stdout.line(line);
              }
            });
    started.set(process);
    if (out.capped()) {
      process.cancel();
    }
    Runnable stop = process::cancel;
    job.cancellation().onCancel(stop);
    try {
      return process.completion().get();
    } catch (InterruptedException e) {
      process.cancel();
      Thread.currentThread().interrupt();
      return new ProcessResult(-1, Ending.CANCELLED, Duration.ZERO);
    } catch (ExecutionException e) {
      throw new IOException("process failed: " + e.getCause(), e);
    } finally {
      job.cancellation().forget(stop);
    }
  }

  /** app.json's test env: declared values, and a fresh random value per run for generated ones. */
  private Map<String, String> appEnvironment(Map<String, EnvVar> declared) {
    Map<String, String> env = new HashMap<>();
    declared.forEach(
        (key, var) -> {
          if (var.generatesSecret()) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            env.put(key, HexFormat.of().formatHex(bytes));
          } else if (var.hasValue()) {
            env.put(key, var.value());
          }
        });
    return env;
  }

  /** Heroku's ENV_DIR: one file per config var, named after it, holding its value. */
  private static void writeEnvDir(Path envDir, Map<String, String> env) throws IOException {
    Files.createDirectories(envDir);
    for (Map.Entry<String, String> v : env.entrySet()) {
      if (CONFIG_KEY.matcher(v.getKey()).matches()
          && !HostEnvironment.PASSED_THROUGH.contains(v.getKey())) {
        Files.writeString(envDir.resolve(v.getKey()), v.getValue(), StandardCharsets.UTF_8);
      }
    }
  }

  static void deleteQuietly(Path dir) {
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

package dev.slipway.apps.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts child process trees that can be killed as a whole. On Linux each child runs in its own
 * session and process group (via {@code setsid}), so a signal to the group also reaches what it
 * started in the background; where {@code setsid} is missing, the tree is found through {@link
 * ProcessHandle#descendants()} instead, which misses processes already orphaned.
 *
 * <p>When the main process exits, whatever it left running in its group is terminated too, as on a
 * Heroku dyno: otherwise a forgotten background process holding stdout would keep the output, and
 * so {@link RunningProcess#completion()}, open forever.
 *
 * <p>A spec with a {@link Sandbox} runs behind bubblewrap ({@link BubblewrapCommand}); a tree that
 * a limit ended gets a last line such as {@code killed: memory limit (512 MB)} on stderr.
 */
public final class ChildProcesses {

  /** Time between SIGTERM and SIGKILL, as Heroku gives a dyno on shutdown. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  /** Output lines longer than this many chars are delivered in pieces of this size. */
  public static final int MAX_LINE_CHARS = 64 * 1024;

  /** Used to resolve the command when the spec's environment has no PATH. */
  static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  static final Path SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid");
  static final Path KILL = firstExecutable("/usr/bin/kill", "/bin/kill");

  static final ScheduledExecutorService TIMERS = timers();

  private static volatile boolean warned;

  private ChildProcesses() {}

  /** Starts with the {@link #DEFAULT_GRACE} period between SIGTERM and SIGKILL. */
  public static RunningProcess start(ProcessSpec spec, LineSink sink) throws IOException {
    return start(spec, sink, DEFAULT_GRACE);
  }

  /**
   * Starts {@code spec}'s command with exactly its environment, stdin from {@code /dev/null}, and
   * stdout and stderr delivered line by line to {@code sink}.
   *
   * @param grace how long the tree gets between SIGTERM and SIGKILL on cancel or timeout
   * @throws NoSuchFileException when the command is not found (relative to the working directory if
   *     it contains a {@code /}, else on the spec's PATH)
   */
  public static RunningProcess start(ProcessSpec spec, LineSink sink, Duration grace)
      throws IOException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    Path workingDirectory =
        spec.workingDirectory() == null
            ? Path.of("").toAbsolutePath()
            : spec.workingDirectory().toAbsolutePath();
    if (!Files.isDirectory(workingDirectory)) {
      throw new NoSuchFileException(workingDirectory.toString(), null, "no working directory");
    }
    List<String> command = new ArrayList<>();
    command.add(resolve(spec.command().get(0), workingDirectory, spec.environment().get("PATH")));
    command.addAll(spec.command().subList(1, spec.command().size()));
    Map<String, String> environment = spec.environment();
    SandboxRun sandboxRun = null;
    if (spec.sandbox() != null) {
      SandboxSupport support = SandboxSupport.current();
      if (support.available()) {
        SandboxHost host = SandboxSupport.host();
        sandboxRun = SandboxRun.prepare(host, spec.sandbox());
        command =
            BubblewrapCommand.argv(
                host, spec.sandbox(), sandboxRun.cgroupProcs(), workingDirectory, command);
        environment = BubblewrapCommand.environment(environment, spec.sandbox(), host);
      } else if (spec.sandbox().untrusted()) {
        throw new SandboxUnavailableException(support.refusal());
      } else {
        warnUnsandboxed(support);
      }
    }
    List<String> argv = new ArrayList<>();
    boolean grouped = SETSID != null && KILL != null;
    if (grouped) {
      argv.add(SETSID.toString());
    }
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.directory(workingDirectory.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      if (sandboxRun != null) {
        sandboxRun.close();
      }
      throw e;
    }
    return ChildProcess.watch(process, grouped, spec.timeout(), grace, sink, started, sandboxRun);
  }

  private static void warnUnsandboxed(SandboxSupport support) {
    if (!warned) {
      warned = true;
      System.getLogger(ChildProcesses.class.getName())
          .log(System.Logger.Level.WARNING, support.summary());
    }
  }

  /**
   * Resolves the command to an absolute path up front, so a missing command fails the same way with
   * or without {@code setsid} in front, and is looked up in the child's PATH, not the JVM's.
   */
  static String resolve(String command, Path workingDirectory, String path)
      throws NoSuchFileException {
    if (command.isEmpty()) {
      throw new NoSuchFileException("", null, "empty command");
    }
    if (command.contains("/")) {
      Path file = workingDirectory.resolve(command);
      if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
        throw new NoSuchFileException(command, null, "not an executable file");
      }
      return file.toString();
    }
    for (String dir : (path == null ? DEFAULT_PATH : path).split(":", -1)) {
      Path base = dir.isEmpty() ? workingDirectory : workingDirectory.resolve(dir);
      Path file = base.resolve(command);
      if (Files.isRegularFile(file) && Files.isExecutable(file)) {
        return file.toString();
      }
    }
    throw new NoSuchFileException(command, null, "command not found on PATH");
  }

  private static Path firstExecutable(String... candidates) {
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    return null;
  }

  private static ScheduledExecutorService timers() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "slipway-process-timer");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setKeepAliveTime(30, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}

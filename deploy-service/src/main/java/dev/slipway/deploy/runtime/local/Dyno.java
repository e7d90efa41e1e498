package dev.slipway.deploy.runtime.local;

import dev.slipway.apps.process.AppProfile;
import dev.slipway.apps.process.ChildProcesses;
import dev.slipway.apps.process.Ending;
import dev.slipway.apps.process.ProcessResult;
import dev.slipway.apps.process.ProcessSpec;
import dev.slipway.apps.process.RunningProcess;
import dev.slipway.apps.process.Sandbox;
import dev.slipway.deploy.runtime.AppRuntime.ProcessStatus;
import dev.slipway.deploy.runtime.AppRuntime.ProcessStatus.State;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One supervised process of a release, like a Heroku dyno ({@code web.1} of v3): started from the
 * unpacked slug, up once a web process accepts connections on its port, restarted with backoff when
 * it exits by itself unless it is being stopped.
 *
 * <p>A new dyno is not supervised until its deploy commits: a web process that dies while booting
 * fails the deploy instead of being restarted.
 */
final class Dyno {

  /** Told when a dyno comes up or crashes; never called while the dyno's lock is held. */
  interface Listener {
    void up(Dyno dyno);

    void crashed(Dyno dyno);
  }

  /** Why a dyno did not come up. */
  static final class BootFailure extends Exception {
    private static final long serialVersionUID = 1L;

    BootFailure(String message) {
      super(message, null, false, false);
    }
  }

  private static final long BIND_POLL_MILLIS = 100;
  private static final int CONNECT_TIMEOUT_MILLIS = 250;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final String type;
  private final int index;
  private final int version;
  private final String command;
  private final ProcessSpec spec;
  private final int port;
  private final LocalRuntimeSettings settings;
  private final ScheduledExecutorService scheduler;
  private final AppLog log;
  private final Listener listener;
  private final CompletableFuture<Void> gone = new CompletableFuture<>();

  private State state = State.STARTING;
  private RunningProcess process;
  private int attempt;
  private int restarts;
  private Integer lastExitCode;
  private int crashesInARow;
  private long upSince;
  private boolean supervised;
  private boolean stopping;
  private boolean bootTimedOut;
  private ScheduledFuture<?> pendingRestart;
  private CompletableFuture<Void> boot = new CompletableFuture<>();

  Dyno(
      String type,
      int index,
      int version,
      String command,
      Path slugDir,
      Map<String, String> environment,
      int port,
      LocalRuntimeSettings settings,
      ScheduledExecutorService scheduler,
      AppLog log,
      Listener listener) {
    this.type = type;
    this.index = index;
    this.version = version;
    this.command = command;
    this.spec =
        new ProcessSpec(
            Launcher.argv(command), slugDir, environment, null, Launcher.sandbox(slugDir));
    this.port = port;
    this.settings = settings;
    this.scheduler = scheduler;
    this.log = log;
    this.listener = listener;
  }

  String name() {
    return type + "." + index;
  }

  String type() {
    return type;
  }

  int index() {
    return index;
  }

  int version() {
    return version;
  }

  boolean isWeb() {
    return "web".equals(type);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  int port() {
    return port;
  }

  synchronized State state() {
    return state;
  }

  synchronized Integer lastExitCode() {
    return lastExitCode;
  }

  synchronized ProcessStatus status() {
    return new ProcessStatus(name(), type, version, state, restarts, lastExitCode);
  }

  /** The current boot: completes when up, fails with {@link BootFailure} when it ends first. */
  synchronized CompletableFuture<Void> boot() {
    return boot;
  }

  /** Completes once the dyno has been stopped and its process is gone. */
  CompletableFuture<Void> gone() {
    return gone;
  }

  /** Starts the process; a web dyno is up once its port accepts connections. */
  void start() {
    int current;
    synchronized (this) {
      if (stopping) {
        return;
      }
      current = ++attempt;
      bootTimedOut = false;
      if (boot.isDone()) {
        boot = new CompletableFuture<>();
      }
      changeState(State.STARTING);
      log.platform(name(), "Starting process with command `" + command + "`");
      try {
        process =
            ChildProcesses.start(
                spec, (channel, line) -> log.app(name(), line), settings.stopGrace());
      } catch (IOException | RuntimeException e) {
        log.platform(name(), "Could not start process: " + e.getMessage());
        process = null;
      }
    }
    RunningProcess started = process();
    if (started == null) {
      // bash's status for a command that cannot be run.
      execute(() -> exited(current, new ProcessResult(127, Ending.EXITED, Duration.ZERO)));
      return;
    }
    started.completion().whenCompleteAsync((result, failure) -> exited(current, result), scheduler);
    if (isWeb()) {
      long deadline = System.nanoTime() + settings.bootTimeout().toNanos();
      execute(() -> pollBind(current, deadline));
    } else {
      execute(() -> up(current));
    }
  }

  /** From now on a crash restarts the process; one that already crashed is restarted now. */
  void supervise() {
    synchronized (this) {
      supervised = true;
      if (state == State.CRASHED && pendingRestart == null && !stopping) {
        scheduleRestart();
      }
    }
  }

  /** Stops for good: SIGTERM, then SIGKILL after the stop grace. */
  CompletableFuture<Void> stop() {
    RunningProcess running;
    synchronized (this) {
      if (stopping) {
        return gone;
      }
      stopping = true;
      if (pendingRestart != null) {
        pendingRestart.cancel(false);
        pendingRestart = null;
      }
      boot.completeExceptionally(new BootFailure(name() + " was stopped"));
      running = process;
      if (running == null) {
        changeState(State.DOWN);
        gone.complete(null);
        return gone;
      }
      log.platform(name(), "Stopping all processes with SIGTERM");
    }
    running.cancel();
    return gone;
  }

  private synchronized RunningProcess process() {
    return process;
  }

  private void pollBind(int current, long deadline) {
    synchronized (this) {
      if (current != attempt || state != State.STARTING || stopping) {
        return;
      }
    }
    if (accepts(port)) {
      up(current);
    } else if (System.nanoTime() - deadline >= 0) {
      bootTimeout(current);
    } else {
      schedule(() -> pollBind(current, deadline), Duration.ofMillis(BIND_POLL_MILLIS));
    }
  }

  private void up(int current) {
    synchronized (this) {
      if (current != attempt || state != State.STARTING || stopping) {
        return;
      }
      changeState(State.UP);
      upSince = System.nanoTime();
      boot.complete(null);
    }
    listener.up(this);
  }

  private void bootTimeout(int current) {
    RunningProcess running;
    synchronized (this) {
      if (current != attempt || state != State.STARTING || stopping) {
        return;
      }
      bootTimedOut = true;
      log.platform(
          name(),
          "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within "
              + Durations.describe(settings.bootTimeout())
              + " of launch");
      log.platform(name(), "Stopping process with SIGTERM");
      boot.completeExceptionally(new BootFailure(bootTimeoutMessage()));
      running = process;
    }
    if (running != null) {
      running.cancel();
    }
  }

  String bootTimeoutMessage() {
    return "web process failed to bind $PORT within "
        + Durations.describe(settings.bootTimeout())
        + " (R10 boot timeout)";
  }

  private void exited(int current, ProcessResult result) {
    synchronized (this) {
      if (current != attempt) {
        return;
      }
      process = null;
      lastExitCode = result.exitCode();
      log.platform(name(), "Process exited with status " + result.exitCode());
      if (stopping) {
        changeState(State.DOWN);
        gone.complete(null);
        return;
      }
      State before = state;
      changeState(State.CRASHED);
      boot.completeExceptionally(
          new BootFailure(
              bootTimedOut
                  ? bootTimeoutMessage()
                  : type + " process exited with status " + result.exitCode() + " during boot"));
      if (before == State.UP && System.nanoTime() - upSince >= settings.maxBackoff().toNanos()) {
        crashesInARow = 0;
      }
      crashesInARow++;
      if (supervised) {
        scheduleRestart();
      }
    }
    listener.crashed(this);
  }

  /** Caller holds the lock. */
  private void scheduleRestart() {
    Duration delay = backoff(crashesInARow);
    log.platform(name(), "Restarting in " + Durations.describe(delay));
    pendingRestart = schedule(this::restart, delay);
  }

  private void restart() {
    synchronized (this) {
      pendingRestart = null;
      if (stopping || state != State.CRASHED) {
        return;
      }
      restarts++;
    }
    start();
  }

  private Duration backoff(int crashes) {
    Duration delay = settings.initialBackoff();
    for (int i = 1; i < crashes && delay.compareTo(settings.maxBackoff()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : delay;
  }

  /** Caller holds the lock. */
  private void changeState(State next) {
    if (state != next) {
      log.platform(
          name(),
          "State changed from "
              + state.name().toLowerCase(Locale.ROOT)
              + " to "
              + next.name().toLowerCase(Locale.ROOT));
      state = next;
    }
  }

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The runtime is shutting down and stops every process itself.
      return null;
    }
  }

  private void execute(Runnable task) {
    schedule(task, Duration.ZERO);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The argv a Procfile command runs with: the app's profile sourced first ({@link AppProfile}).
   */
  static final class Launcher {
    private Launcher() {}

    static List<String> argv(String command) {
      return AppProfile.argv(Bash.PATH, command);
    }

    /**
     * The sandbox of every process an app runs (dynos, release phase, postdeploy, pr-predestroy,
     * one-off runs): it sees only its release's slug (read-write, HOME, as Heroku's {@code /app})
     * and the read-only system; other apps, the platform's data directory and other processes are
     * out of sight.
     *
     * <p>It keeps the host's network: the router reaches web dynos on the host's loopback at {@code
     * $PORT}, and a network namespace per dyno would need a port forwarder (slirp4netns or pasta,
     * one more system package and one more process per dyno) for no gain, since apps need the
     * network anyway (their add-on database over TCP, outside APIs). PostgreSQL and Kafka are
     * protected from apps by their own authentication, not by the network.
     */
    static Sandbox sandbox(Path slugDir) {
      return Sandbox.writing(slugDir).withHome(slugDir);
    }
  }

  /** Where bash is: resolved once on the platform's PATH, so an app's PATH cannot hide it. */
  static final class Bash {
    static final String PATH = find();

    private Bash() {}

    private static String find() {
      String path = System.getenv("PATH");
      for (String dir : (path == null ? "/usr/bin:/bin" : path + ":/usr/bin:/bin").split(":")) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, "bash");
        if (java.nio.file.Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
      return "bash";
    }
  }
}

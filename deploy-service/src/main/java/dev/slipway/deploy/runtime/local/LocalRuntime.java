package dev.slipway.deploy.runtime.local;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.process.ChildProcesses;
import dev.slipway.apps.process.Ending;
import dev.slipway.apps.process.HostEnvironment;
import dev.slipway.apps.process.ProcessResult;
import dev.slipway.apps.process.ProcessSpec;
import dev.slipway.apps.process.RunningProcess;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.deploy.runtime.AppRuntime.ProcessStatus.State;
import dev.slipway.deploy.runtime.local.router.LocalRouter;
import dev.slipway.deploy.runtime.local.router.RouteTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Local mode's {@link AppRuntime}: each app's Procfile processes run as supervised child process
 * trees from the release's unpacked slug, and the {@link LocalRouter} sends {@code
 * http://<app>.localhost:<port>/} to its web process.
 *
 * <p>A deploy starts the new release's processes next to the old ones, waits until web accepts
 * connections on {@code $PORT}, switches the route, waits until the old web process has no request
 * in flight, then stops the old processes, so no request fails. A process that exits by itself is
 * restarted with exponential backoff and shows as {@code CRASHED} meanwhile; while no web process
 * is up the router answers 503 H14.
 *
 * <p>Formation: a type missing from {@link ReleaseSpec#formation()} runs {@code web=1}, every other
 * type 0, as on Heroku; the {@code release} type is the release phase and never runs as a process.
 * The router has one backend per app, so with several web processes the first one that is up takes
 * the traffic and the others take over when it crashes.
 *
 * <p>Every process runs in the sandbox ({@link Dyno.Launcher#sandbox(Path)}), on the host's network
 * so that the router reaches it.
 *
 * <p>Processes run in their own process groups, so they do not die with the JVM by themselves:
 * {@link #close()} (also registered as a shutdown hook) stops them all. Config values reach
 * processes only through their environment.
 *
 * <p>Over 500 lines because it is the whole runtime port for local mode (deploy with zero-downtime
 * switch, scale, restart with backoff, destroy, logs, one-offs); routing, dynos and slugs live in
 * classes of their own.
 */
public final class LocalRuntime implements AppRuntime, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalRuntime.class);

  /** More processes of one type than this is a typo, not a formation one machine can run. */
  static final int MAX_QUANTITY = 100;

  private static final String RELEASE_TYPE = "release";
  private static final Duration SAFETY_MARGIN = Duration.ofSeconds(5);

  private final LocalRouter router;
  private final RouteTable routes;
  private final LocalRuntimeSettings settings;
  private final Slugs slugs;
  private final PortAllocator ports;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ConcurrentHashMap<String, LocalApp> apps = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  /**
   * @param workDir where slugs are unpacked ({@code apps/<app>/v<version>}); created if missing
   * @throws UncheckedIOException when the work directory cannot be prepared
   */
  public LocalRuntime(
      ArtifactStore artifacts, LocalRouter router, Path workDir, LocalRuntimeSettings settings) {
    Objects.requireNonNull(artifacts, "artifacts");
    this.router = Objects.requireNonNull(router, "router");
    this.routes = router.routes();
    this.settings = Objects.requireNonNull(settings, "settings");
    try {
      this.slugs =
          new Slugs(artifacts, Objects.requireNonNull(workDir, "workDir"), settings.maxSlugBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the runtime work directory " + workDir, e);
    }
    this.ports = new PortAllocator(settings.ports());
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "slipway-runtime-supervisor");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    this.shutdownHook = new Thread(this::shutdown, "slipway-runtime-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public OneOffResult runOneOff(
      ReleaseSpec release, String command, Duration timeout, OutputSink output) {
    requireRelease(release);
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(output, "output");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    ensureOpen();
    long started = System.nanoTime();
    LocalApp app;
    String name;
    while (true) {
      app = apps.computeIfAbsent(release.app(), this::newApp);
      synchronized (app) {
        if (!app.destroyed) {
          name = "run." + ++app.oneOffCounter;
          app.oneOffVersions.merge(release.version(), 1, Integer::sum);
          break;
        }
      }
      ensureOpen();
      apps.remove(release.app(), app);
    }
    app.log.mask(release.config(), release.secretNames());
    int port = -1;
    try {
      Path slug;
      try {
        slug = slugs.prepare(release.app(), release.version(), release.artifactDigest());
      } catch (IOException e) {
        String why = "could not unpack the slug of v" + release.version() + ": " + e.getMessage();
        app.log.platform(name, why);
        safely(output, "slipway: " + why);
        return new OneOffResult(1, false, since(started));
      }
      port = ports.allocate();
      LocalApp owner = app;
      String dyno = name;
      Map<String, String> env = environment(release, dyno, port);
      app.log.platform(name, "Starting process with command `" + command + "`");
      RunningProcess process;
      try {
        process =
            ChildProcesses.start(
                new ProcessSpec(
                    Dyno.Launcher.argv(command), slug, env, timeout, Dyno.Launcher.sandbox(slug)),
                (channel, line) -> {
                  safely(output, line);
                  owner.log.app(dyno, line);
                },
                settings.stopGrace());
      } catch (IOException e) {
        app.log.platform(name, "Could not start process: " + e.getMessage());
        safely(output, "slipway: could not start the process: " + e.getMessage());
        return new OneOffResult(127, false, since(started));
      }
      synchronized (app) {
        app.oneOffs.put(name, new LocalApp.OneOff(name, release.version(), process));
        if (app.destroyed) {
          process.cancel();
        }
      }
      ProcessResult result = await(process);
      if (result.ending() == Ending.TIMED_OUT) {
        app.log.platform(name, "Timed out after " + Durations.describe(timeout) + ", stopped");
      }
      app.log.platform(name, "Process exited with status " + result.exitCode());
      return new OneOffResult(
          result.exitCode(), result.ending() == Ending.TIMED_OUT, result.duration());
    } finally {
      if (port > 0) {
        ports.release(port);
      }
      synchronized (app) {
        app.oneOffs.remove(name);
        app.oneOffVersions.computeIfPresent(release.version(), (v, n) -> n == 1 ? null : n - 1);
      }
    }
  }

  @Override
  public void deploy(ReleaseSpec release, OutputSink progress) throws DeployFailedException {
    requireRelease(release);
    Objects.requireNonNull(progress, "progress");
    Map<String, Integer> formation = formation(release);
    LocalApp app = lock(release.app());
    try {
      ensureOpen();
      if (app.current != null && app.current.version() == release.version()) {
        safely(progress, "v" + release.version() + " is already running");
        return;
      }
      deployLocked(app, release, formation, progress);
    } finally {
      app.lock.unlock();
    }
  }

  private void deployLocked(
      LocalApp app, ReleaseSpec release, Map<String, Integer> formation, OutputSink progress)
      throws DeployFailedException {
    int version = release.version();
    app.log.mask(release.config(), release.secretNames());
    app.log.platform("runtime", "Deploying v" + version);
    Path slug;
    try {
      slug = slugs.prepare(app.name, version, release.artifactDigest());
    } catch (IOException e) {
      throw failed(
          app,
          progress,
          version,
          "could not unpack the slug of v" + version + ": " + e.getMessage());
    }
    List<Dyno> started = new ArrayList<>();
    try {
      for (Map.Entry<String, Integer> entry : formation.entrySet()) {
        for (int index = 1; index <= entry.getValue(); index++) {
          Dyno dyno = newDyno(app, release, slug, entry.getKey(), index);
          started.add(dyno);
          safely(progress, "Starting " + dyno.name() + " of v" + version);
          dyno.start();
        }
      }
      awaitWeb(started);
    } catch (Dyno.BootFailure | RuntimeException e) {
      stopAll(started);
      slugs.retain(app.name, keptVersions(app));
      throw failed(app, progress, version, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopAll(started);
      throw failed(
          app, progress, version, "interrupted while waiting for v" + version + " to boot");
    }

    boolean hasWebType = release.processTypes().containsKey("web");
    List<Dyno> old = null;
    synchronized (app) {
      Dyno web = firstUpWeb(started, null);
      // Up a moment ago, it crashed before the switch: there is nothing to switch to.
      boolean crashedAlready = web == null && formation.getOrDefault("web", 0) > 0;
      if (!crashedAlready) {
        old = app.serving;
        app.serving = List.copyOf(started);
        if (web != null) {
          routeTo(app, web);
        } else if (hasWebType) {
          unavailable(app, "web is scaled to 0");
        } else {
          app.routed = null;
          routes.remove(app.name);
          app.log.platform("router", "No web process type: not routed");
        }
      }
    }
    if (old == null) {
      Integer code =
          started.stream().filter(Dyno::isWeb).findFirst().map(Dyno::lastExitCode).orElse(null);
      stopAll(started);
      slugs.retain(app.name, keptVersions(app));
      throw failed(
          app, progress, version, "web process exited with status " + code + " during boot");
    }
    safely(progress, "Traffic goes to v" + version);
    started.forEach(Dyno::supervise);
    Integer replaced = app.current == null ? null : app.current.version();
    app.current = release;
    app.previousVersion = replaced;

    drain(old);
    if (!old.isEmpty()) {
      safely(progress, "Stopping the processes of v" + replaced);
    }
    stopAll(old);
    slugs.retain(app.name, keptVersions(app));
    app.log.platform("runtime", "Deployed v" + version);
    safely(progress, "Deployed v" + version);
  }

  @Override
  public void scale(String app, Map<String, Integer> formation) {
    requireAppName(app);
    Objects.requireNonNull(formation, "formation");
    formation.forEach(LocalRuntime::requireQuantity);
    LocalApp state = apps.get(app);
    if (state == null) {
      return;
    }
    state.lock.lock();
    try {
      ensureOpen();
      ReleaseSpec release = state.current;
      if (state.destroyed || release == null) {
        return;
      }
      for (Map.Entry<String, Integer> entry : formation.entrySet()) {
        if (entry.getValue() > 0 && !runnable(release, entry.getKey())) {
          throw new IllegalArgumentException("no such process type: " + entry.getKey());
        }
      }
      scaleLocked(state, release, formation);
    } finally {
      state.lock.unlock();
    }
  }

  private void scaleLocked(LocalApp app, ReleaseSpec release, Map<String, Integer> formation) {
    List<Dyno> serving;
    synchronized (app) {
      serving = app.serving;
    }
    Path slug;
    try {
      slug = slugs.prepare(app.name, release.version(), release.artifactDigest());
    } catch (IOException e) {
      throw new UncheckedIOException("the slug of v" + release.version() + " is gone", e);
    }
    List<Dyno> kept = new ArrayList<>();
    List<Dyno> removed = new ArrayList<>();
    List<Dyno> added = new ArrayList<>();
    for (String type : new TreeMap<>(release.processTypes()).keySet()) {
      if (!runnable(release, type)) {
        continue;
      }
      int target = formation.getOrDefault(type, 0);
      List<Dyno> ofType =
          serving.stream()
              .filter(dyno -> dyno.type().equals(type))
              .sorted(Comparator.comparingInt(Dyno::index))
              .toList();
      for (int i = 0; i < ofType.size(); i++) {
        (i < target ? kept : removed).add(ofType.get(i));
      }
      int nextIndex = ofType.isEmpty() ? 1 : ofType.get(ofType.size() - 1).index() + 1;
      for (int i = ofType.size(); i < target; i++) {
        added.add(newDyno(app, release, slug, type, nextIndex++));
      }
    }
    synchronized (app) {
      List<Dyno> next = new ArrayList<>(kept);
      next.addAll(added);
      app.serving = List.copyOf(next);
      if (app.routed != null && removed.contains(app.routed)) {
        Dyno other = firstUpWeb(kept, null);
        if (other != null) {
          routeTo(app, other);
        } else {
          unavailable(app, "web is scaled to 0");
        }
      } else if (app.routed == null
          && release.processTypes().containsKey("web")
          && formation.getOrDefault("web", 0) == 0) {
        unavailable(app, "web is scaled to 0");
      }
    }
    app.log.platform("runtime", "Scaled to " + describe(formation, release));
    for (Dyno dyno : added) {
      dyno.supervise();
      dyno.start();
    }
    drain(removed);
    stopAll(removed);
  }

  @Override
  public void destroy(String app) {
    requireAppName(app);
    LocalApp state = apps.get(app);
    if (state != null) {
      state.lock.lock();
      try {
        List<RunningProcess> oneOffs;
        synchronized (state) {
          state.destroyed = true;
          state.serving = List.of();
          state.routed = null;
          routes.remove(app);
          oneOffs = state.oneOffs.values().stream().map(LocalApp.OneOff::process).toList();
        }
        oneOffs.forEach(RunningProcess::cancel);
        stopAll(state.live);
        awaitAll(oneOffs.stream().map(RunningProcess::completion).toList());
        apps.remove(app, state);
        state.log.close();
      } finally {
        state.lock.unlock();
      }
    } else {
      routes.remove(app);
    }
    slugs.deleteApp(app);
  }

  @Override
  public Optional<URI> url(String app) {
    requireAppName(app);
    LocalApp state = apps.get(app);
    if (state == null) {
      return Optional.empty();
    }
    synchronized (state) {
      if (state.destroyed || state.serving.stream().noneMatch(Dyno::isWeb)) {
        return Optional.empty();
      }
    }
    return Optional.of(URI.create("http://" + app + ".localhost:" + router.port() + "/"));
  }

  @Override
  public List<ProcessStatus> processes(String app) {
    requireAppName(app);
    LocalApp state = apps.get(app);
    if (state == null) {
      return List.of();
    }
    List<ProcessStatus> result = new ArrayList<>();
    state.live.forEach(dyno -> result.add(dyno.status()));
    synchronized (state) {
      state
          .oneOffs
          .values()
          .forEach(
              oneOff ->
                  result.add(
                      new ProcessStatus(
                          oneOff.name(), "run", oneOff.version(), State.UP, 0, null)));
    }
    result.sort(
        Comparator.comparing(ProcessStatus::type)
            .thenComparing(status -> index(status.name()))
            .thenComparingInt(ProcessStatus::release));
    return List.copyOf(result);
  }

  @Override
  public LogSubscription logs(String app, int tail, boolean follow, OutputSink sink) {
    requireAppName(app);
    Objects.requireNonNull(sink, "sink");
    if (tail < 0) {
      throw new IllegalArgumentException("tail must not be negative: " + tail);
    }
    LocalApp state = follow ? apps.computeIfAbsent(app, this::newApp) : apps.get(app);
    if (state == null) {
      return () -> {};
    }
    return state.log.subscribe(tail, follow, sink);
  }

  /** Stops every process of every app and waits for them (at most about twice the stop grace). */
  @Override
  public void close() {
    shutdown();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and runs the hook itself.
    }
  }

  /** Like {@link #close()}, for the shutdown hook. */
  public void shutdown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<CompletableFuture<?>> endings = new ArrayList<>();
    for (LocalApp app : apps.values()) {
      List<RunningProcess> oneOffs;
      synchronized (app) {
        app.destroyed = true;
        oneOffs = List.copyOf(app.oneOffs.values().stream().map(LocalApp.OneOff::process).toList());
      }
      oneOffs.forEach(
          process -> {
            process.cancel();
            endings.add(process.completion());
          });
      app.live.forEach(dyno -> endings.add(dyno.stop()));
    }
    awaitAll(endings);
    scheduler.shutdownNow();
  }

  private LocalApp newApp(String name) {
    return new LocalApp(name, settings.logBufferLines(), settings.logBufferBytes());
  }

  /** The app's state with its deploy lock held, never one that a destroy has just retired. */
  private LocalApp lock(String name) {
    while (true) {
      LocalApp app = apps.computeIfAbsent(name, this::newApp);
      app.lock.lock();
      boolean destroyed;
      synchronized (app) {
        destroyed = app.destroyed;
      }
      if (!destroyed) {
        return app;
      }
      app.lock.unlock();
      ensureOpen();
      apps.remove(name, app);
    }
  }

  private Dyno newDyno(LocalApp app, ReleaseSpec release, Path slug, String type, int index) {
    ensureOpen();
    int port = ports.allocate();
    Dyno dyno;
    try {
      dyno =
          new Dyno(
              type,
              index,
              release.version(),
              release.processTypes().get(type),
              slug,
              environment(release, type + "." + index, port),
              port,
              settings,
              scheduler,
              app.log,
              new Dyno.Listener() {
                @Override
                public void up(Dyno dyno) {
                  onUp(app, dyno);
                }

                @Override
                public void crashed(Dyno dyno) {
                  onCrashed(app, dyno);
                }
              });
    } catch (RuntimeException e) {
      ports.release(port);
      throw e;
    }
    app.live.add(dyno);
    dyno.gone()
        .whenComplete(
            (ignored, failure) -> {
              ports.release(port);
              app.live.remove(dyno);
            });
    return dyno;
  }

  private void onUp(LocalApp app, Dyno dyno) {
    if (!dyno.isWeb()) {
      return;
    }
    synchronized (app) {
      if (app.destroyed || !app.serving.contains(dyno) || dyno.state() != State.UP) {
        return;
      }
      if (app.routed == null || app.routed.state() != State.UP) {
        routeTo(app, dyno);
      }
    }
  }

  private void onCrashed(LocalApp app, Dyno dyno) {
    if (!dyno.isWeb()) {
      return;
    }
    synchronized (app) {
      if (app.destroyed || app.routed != dyno || dyno.state() == State.UP) {
        return;
      }
      Dyno other = firstUpWeb(app.serving, dyno);
      if (other != null) {
        routeTo(app, other);
      } else {
        unavailable(app, dyno.name() + " crashed");
      }
    }
  }

  /** Caller holds the app's monitor. */
  private void routeTo(LocalApp app, Dyno web) {
    app.routed = web;
    routes.route(app.name, web.uri());
    app.log.platform(
        "router", "Routing to " + web.name() + " of v" + web.version() + " on port " + web.port());
  }

  /** Caller holds the app's monitor. */
  private void unavailable(LocalApp app, String reason) {
    app.routed = null;
    routes.markUnavailable(app.name, reason);
    app.log.platform("router", "No web process running: " + reason);
  }

  private static Dyno firstUpWeb(Collection<Dyno> dynos, Dyno except) {
    return dynos.stream()
        .filter(dyno -> dyno.isWeb() && dyno != except && dyno.state() == State.UP)
        .min(Comparator.comparingInt(Dyno::index))
        .orElse(null);
  }

  /** Waits for every new web dyno to come up, within the boot timeout. */
  private void awaitWeb(List<Dyno> started) throws Dyno.BootFailure, InterruptedException {
    long deadline = System.nanoTime() + settings.bootTimeout().plus(SAFETY_MARGIN).toNanos();
    for (Dyno dyno : started) {
      if (!dyno.isWeb()) {
        continue;
      }
      try {
        dyno.boot().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Dyno.BootFailure failure
            ? failure
            : new Dyno.BootFailure(String.valueOf(e.getCause()));
      } catch (TimeoutException e) {
        throw new Dyno.BootFailure(dyno.bootTimeoutMessage());
      }
    }
  }

  /** Waits, at most the drain timeout, until no request is in flight to these web dynos. */
  private void drain(Collection<Dyno> dynos) {
    List<CompletableFuture<?>> drained = new ArrayList<>();
    for (Dyno dyno : dynos) {
      if (dyno.isWeb()) {
        drained.add(routes.drained(dyno.uri()));
      }
    }
    if (drained.isEmpty()) {
      return;
    }
    try {
      CompletableFuture.allOf(drained.toArray(CompletableFuture[]::new))
          .get(settings.drainTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.warnf(
          "requests still in flight after %s; stopping the old processes anyway",
          Durations.describe(settings.drainTimeout()));
    } catch (ExecutionException e) {
      LOG.warn("waiting for requests in flight failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the dynos and waits until their processes are gone. */
  private void stopAll(Collection<Dyno> dynos) {
    List<CompletableFuture<?>> gone = new ArrayList<>();
    for (Dyno dyno : List.copyOf(dynos)) {
      gone.add(dyno.stop());
    }
    awaitAll(gone);
  }

  /**
   * Waits for processes to end: SIGKILL follows SIGTERM after the grace, and the output is
   * abandoned after another grace, so this bound is only hit by a process that ignores SIGKILL.
   */
  private void awaitAll(Collection<? extends CompletableFuture<?>> futures) {
    if (futures.isEmpty()) {
      return;
    }
    Duration bound = settings.stopGrace().multipliedBy(3).plus(SAFETY_MARGIN);
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.warnf(
          "processes still running %s after they were told to stop", Durations.describe(bound));
    } catch (ExecutionException e) {
      LOG.warn("waiting for processes to stop failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ProcessResult await(RunningProcess process) {
    try {
      return process.completion().get();
    } catch (InterruptedException e) {
      process.cancel();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the one-off process ran", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("process completion never fails", e.getCause());
    }
  }

  private Set<Integer> keptVersions(LocalApp app) {
    Set<Integer> keep = new HashSet<>();
    if (app.current != null) {
      keep.add(app.current.version());
    }
    if (app.previousVersion != null) {
      keep.add(app.previousVersion);
    }
    app.live.forEach(dyno -> keep.add(dyno.version()));
    synchronized (app) {
      keep.addAll(app.oneOffVersions.keySet());
    }
    return keep;
  }

  private DeployFailedException failed(LocalApp app, OutputSink progress, int version, String why) {
    app.log.platform("runtime", "Deploy of v" + version + " failed: " + why);
    safely(progress, "Deploy of v" + version + " failed: " + why);
    return new DeployFailedException(why);
  }

  /** The essentials of the host, the release's config, then what the platform sets itself. */
  private static Map<String, String> environment(ReleaseSpec release, String dyno, int port) {
    Map<String, String> env = new LinkedHashMap<>(HostEnvironment.essentials());
    env.putAll(release.config());
    env.put("PORT", Integer.toString(port));
    env.put("DYNO", dyno);
    env.put("SLIPWAY_RELEASE_VERSION", "v" + release.version());
    return env;
  }

  /** How many processes of each runnable type the release runs. */
  private static Map<String, Integer> formation(ReleaseSpec release) {
    release.formation().forEach(LocalRuntime::requireQuantity);
    Map<String, Integer> result = new TreeMap<>();
    for (String type : release.processTypes().keySet()) {
      if (runnable(release, type)) {
        result.put(type, release.formation().getOrDefault(type, "web".equals(type) ? 1 : 0));
      }
    }
    return result;
  }

  private static boolean runnable(ReleaseSpec release, String type) {
    return !RELEASE_TYPE.equals(type) && release.processTypes().containsKey(type);
  }

  private static String describe(Map<String, Integer> formation, ReleaseSpec release) {
    StringBuilder text = new StringBuilder();
    for (String type : new TreeMap<>(release.processTypes()).keySet()) {
      if (runnable(release, type)) {
        if (text.length() > 0) {
          text.append(' ');
        }
        text.append(type).append('@').append(formation.getOrDefault(type, 0));
      }
    }
    return text.toString();
  }

  private static void requireQuantity(String type, Integer quantity) {
    if (quantity == null || quantity < 0 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException(
          "quantity of " + type + " must be 0.." + MAX_QUANTITY + ", got " + quantity);
    }
  }

  private static void requireRelease(ReleaseSpec release) {
    Objects.requireNonNull(release, "release");
    requireAppName(release.app());
    if (release.version() < 1) {
      throw new IllegalArgumentException("release version must be positive: " + release.version());
    }
    Objects.requireNonNull(release.artifactDigest(), "artifactDigest");
  }

  private static void requireAppName(String app) {
    if (!RouteTable.isValidAppName(app)) {
      throw new IllegalArgumentException("invalid app name: " + app);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the local runtime is shut down");
    }
  }

  private static int index(String name) {
    int dot = name.lastIndexOf('.');
    try {
      return Integer.parseInt(name.substring(dot + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private static void safely(OutputSink sink, String line) {
    try {
      sink.line(line);
    } catch (RuntimeException e) {
      // A broken progress or output sink must not break the deploy or the process.
    }
  }
}

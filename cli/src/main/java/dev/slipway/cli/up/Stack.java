package dev.slipway.cli.up;

import dev.slipway.apps.process.SandboxSupport;
import dev.slipway.cli.CliException;
import dev.slipway.cli.config.Installation;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.output.Fields;
import dev.slipway.local.ClassDataArchive;
import dev.slipway.local.LocalInfrastructure;
import dev.slipway.local.ReadinessWatchdog;
import dev.slipway.local.ServiceProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The local platform: embedded Kafka and PostgreSQL, then the four services as child JVMs, each
 * restarted with backoff when it dies or stops answering its readiness check, all stopped in order
 * (services first) by {@link #stop()}.
 */
public final class Stack {

  static final Duration SERVICE_TIMEOUT = Duration.ofMinutes(3);
  static final Duration INFRA_TIMEOUT = Duration.ofMinutes(2);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  /** A service that stayed up this long before dying starts again from the shortest backoff. */
  static final Duration STABLE = Duration.ofMinutes(2);

  /**
   * How often a live service's readiness is checked: only a safety net for a JVM that is alive but
   * stuck (each check costs the service a health check of its database and Kafka connections).
   */
  static final Duration WATCH_EVERY = Duration.ofSeconds(30);

  private final Path dataDir;
  private final Path servicesDir;
  private final PortPlan ports;
  private final Installation installation;
  private final PrintWriter out;
  private final RunFiles runFiles;
  private final LocalPaths localPaths = LocalPaths.decide(System::getenv);
  private final Map<Service, Supervised> services = new EnumMap<>(Service.class);
  private final ClassDataArchive classData = ClassDataArchive.userCache(System.getenv());

  /** Records class-data archives one at a time, off the start and supervision paths. */
  private final ExecutorService recorder =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "slipway-class-data");
            t.setDaemon(true);
            return t;
          });

  private LocalInfrastructure infra;
  private ProcessHandle kafka;
  private Thread supervisor;
  private ReadinessWatchdog watchdog;
  private volatile boolean stopping;

  /** Services whose process ended, to wake the supervisor at once. */
  private final BlockingQueue<Service> exits = new LinkedBlockingQueue<>();

  private boolean stopped;

  /** One service and its current process. */
  private static final class Supervised {
    volatile ServiceProcess process;
    volatile List<String> jvmOptions = List.of();
    volatile long startedAt;
    Duration backoff = Duration.ofSeconds(1);
  }

  public Stack(
      Path dataDir, Path servicesDir, PortPlan ports, Installation installation, PrintWriter out) {
    this.dataDir = dataDir;
    this.servicesDir = servicesDir;
    this.ports = ports;
    this.installation = installation;
    this.out = out;
    this.runFiles = new RunFiles(dataDir);
  }

  public static Path jar(Path servicesDir, Service s) {
    return servicesDir.resolve(s.serviceName()).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /** Starts everything and returns once every service is ready. */
  public void start() {
    for (Service s : Service.values()) {
      if (!Files.isRegularFile(jar(servicesDir, s))) {
        throw new CliException(
            s.serviceName()
                + " is not built: "
                + jar(servicesDir, s)
                + " is missing (run ./mvnw package -DskipTests, or ./slipway which builds)");
      }
    }
    long t0 = System.nanoTime();
    say(SandboxSupport.current().summary());
    say(
        "Starting Kafka (port "
            + ports.kafka()
            + ") and PostgreSQL (port "
            + ports.postgres()
            + ")…");
    try {
      infra =
          LocalInfrastructure.start(
              new LocalInfrastructure.Options(
                  dataDir.resolve("infra"),
                  ports.kafka(),
                  ports.postgres(),
                  true,
                  null,
                  null,
                  null,
                  INFRA_TIMEOUT));
    } catch (RuntimeException e) {
      throw new CliException("could not start Kafka and PostgreSQL: " + e.getMessage(), e);
    }
    say("  Kafka and PostgreSQL ready in " + Fields.human(infra.startup()) + ", topics created");
    recordChildren();
    say(localPaths.announcement());
    say("Starting build-service, test-service, deploy-service and promotion-service…");
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (Service s : Service.values()) {
      Supervised sup = new Supervised();
      services.put(s, sup);
      starts.add(
          CompletableFuture.runAsync(
              () -> {
                long t = System.nanoTime();
                start(s, sup);
                say(
                    "  "
                        + s.serviceName()
                        + " ready in "
                        + Fields.human(Duration.ofNanos(System.nanoTime() - t)));
              }));
    }
    try {
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new CliException(cause.getMessage(), cause);
    }
    say("Ready in " + Fields.human(Duration.ofNanos(System.nanoTime() - t0)) + ".");
    // Only once all are ready: recording pauses a service and takes a core for a few seconds.
    services.keySet().forEach(this::recordClassData);
  }

  /**
   * Records {@code s}'s class-data archive in the background if it has none yet, so that its next
   * start (a restart, the next {@code up}) is quicker.
   */
  private void recordClassData(Service s) {
    Path jar = jar(servicesDir, s);
    if (ClassDataArchive.uses(services.get(s).jvmOptions)) {
      return;
    }
    recorder.execute(
        () -> {
          ServiceProcess p = services.get(s).process;
          if (stopping || p == null || !p.process().isAlive()) {
            return;
          }
          classData
              .record(s.serviceName(), jar, p.process())
              .ifPresent(
                  why ->
                      say(
                          "  (no class-data archive for "
                              + s.serviceName()
                              + ", it starts without: "
                              + firstLine(why)
                              + ")"));
        });
  }

  /**
   * Launches {@code s} and records its process before waiting for it to be ready, so that a stop
   * (Ctrl-C, {@code slipway down}) while it starts stops it too instead of leaving it orphaned.
   */
  private void start(Service s, Supervised sup) {
    ServiceProcess process;
    synchronized (this) {
      if (stopping) {
        throw new CliException("slipway is stopping");
      }
      sup.jvmOptions = classData.jvmOptions(s.serviceName(), jar(servicesDir, s));
      process =
          ServiceProcess.launch(
              s.serviceName(),
              jar(servicesDir, s),
              ports.service(s),
              config(s),
              dataDir.resolve("run").resolve(s.serviceName()),
              dataDir.resolve("logs").resolve(s.serviceName() + ".log"),
              sup.jvmOptions);
      sup.process = process;
      sup.startedAt = System.nanoTime();
      process.process().onExit().thenRun(() -> exits.offer(s));
      recordChildren();
    }
    try {
      process.awaitReady(SERVICE_TIMEOUT);
    } catch (RuntimeException e) {
      if (ClassDataArchive.uses(sup.jvmOptions)) {
        // Whatever went wrong, the next attempt starts without the archive (and records a new one).
        classData.discard(s.serviceName(), jar(servicesDir, s));
      }
      throw e;
    }
    sup.startedAt = System.nanoTime();
  }

  /** The configuration every service needs, plus what is particular to one. */
  Map<String, String> config(Service s) {
    Map<String, String> config = new HashMap<>();
    // The service's own Kafka principal; its ACLs are in KafkaAccess.
    config.putAll(infra.serviceKafkaConfig(s.serviceName()));
    // One instance of each service: static group membership lets a restarted service take its
    // partitions back at once (see StaticMembership), and a crashed one is noticed in 10 s.
    config.put("slipway.kafka.instance-id", "up");
    config.put("slipway.kafka.session-timeout", "10s");
    // The same name on every restart: a restarted service errors at once the builds and test runs
    // its previous run left, instead of after their owner's heartbeat went stale (ADR 0017).
    config.put("slipway.instance.name", "up");
    // An idle consumer's fetch waits this long at the broker before it comes back empty (new
    // records end it at once): the default 500 ms made a dozen idle consumers and the broker that
    // answers them the largest idle cost of the stack.
    config.put("mp.messaging.connector.smallrye-kafka.fetch.max.wait.ms", "5000");
    config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl());
    config.put("quarkus.datasource.reactive.url", infra.jdbcUrl().substring("jdbc:".length()));
    LocalInfrastructure.Login login = infra.serviceLogin(s.schema());
    config.put("quarkus.datasource.username", login.user());
    if (!login.password().isEmpty()) {
      config.put("quarkus.datasource.password", login.password());
    }
    config.put("slipway.auth.admin-token", installation.adminToken().orElseThrow());
    config.put("slipway.secrets.key", installation.secretsKey().orElseThrow());
    config.put("slipway.data-dir", dataDir.toString());
    // Quarkus listens on every interface by default; a stack on one machine stays on loopback.
    config.put("quarkus.http.host", LocalPaths.bindHost(System::getenv));
    config.put("slipway.outbound.allow-local-paths", Boolean.toString(localPaths.allowed()));
    if (s == Service.DEPLOY) {
      config.put("slipway.router.port", Integer.toString(ports.router()));
    }
    if (s == Service.TEST) {
      config.put("slipway.public-url", "http://localhost:" + ports.service(Service.TEST));
    }
    config.putAll(dashboard(s));
    return config;
  }

  /**
   * The dashboard (ADR 0018): promotion-service serves it and tells the browser where the other
   * services answer; they let that origin (and only it) call them; build-service, on the first
   * port, redirects {@code /} to it.
   */
  Map<String, String> dashboard(Service s) {
    Map<String, String> config = new HashMap<>();
    String page = "http://localhost:" + ports.service(Service.PROMOTION);
    if (s == Service.PROMOTION) {
      config.put("slipway.dashboard.build-url", "http://localhost:" + ports.service(Service.BUILD));
      config.put("slipway.dashboard.test-url", "http://localhost:" + ports.service(Service.TEST));
      config.put(
          "slipway.dashboard.deploy-url", "http://localhost:" + ports.service(Service.DEPLOY));
    } else {
      config.put("quarkus.http.cors.enabled", "true");
      config.put("quarkus.http.cors.origins", page);
      config.put("quarkus.http.cors.methods", "GET,POST");
      config.put("quarkus.http.cors.headers", "Authorization,Content-Type,Accept");
    }
    if (s == Service.BUILD) {
      config.put("slipway.dashboard.url", page + "/");
    }
    return config;
  }

  /** Lines describing what runs, one per service, then the router and the infrastructure. */
  public List<String> summary() {
    List<String> lines = new ArrayList<>();
    for (Service s : Service.values()) {
      ServiceProcess p = services.get(s).process;
      lines.add(
          String.format(
              "  %-18s %-28s pid %d",
              s.serviceName(), "http://127.0.0.1:" + ports.service(s), p.process().pid()));
    }
    lines.add(String.format("  %-18s %-28s", "router", "http://<app>.localhost:" + ports.router()));
    lines.add(
        String.format(
            "  %-18s %-28s pid %s",
            "kafka", infra.bootstrapServers(), kafkaProcess().map(h -> "" + h.pid()).orElse("?")));
    lines.add(
        String.format(
            "  %-18s %-28s pid %s",
            "postgres",
            infra.jdbcUrl().replace("jdbc:postgresql://", "").replaceAll("/.*", ""),
            postgresPid().map(Object::toString).orElse("?")));
    return lines;
  }

  /**
   * Starts the thread that restarts dead services until {@link #stop()}; a service that is alive
   * but has failed its readiness check for longer than {@code unreadyBound} counts as dead.
   */
  public void supervise(Duration unreadyBound) {
    watchdog = new ReadinessWatchdog(unreadyBound, WATCH_EVERY, this::say);
    supervisor = new Thread(this::superviseLoop, "slipway-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  private void superviseLoop() {
    while (!stopping) {
      for (Map.Entry<Service, Supervised> e : services.entrySet()) {
        Supervised sup = e.getValue();
        if (stopping || sup.process == null) {
          continue;
        }
        if (!sup.process.process().isAlive()) {
          restart(e.getKey(), sup, "exited");
        } else if (watchdog.killIfStuck(sup.process, System.nanoTime())) {
          restart(e.getKey(), sup, "was killed");
        }
      }
      try {
        // A service's exit signals at once; the readiness checks are a slow safety net.
        exits.poll(WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        exits.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Starts {@code s} again after a backoff; {@code what} says what happened to it. */
  private void restart(Service s, Supervised sup, String what) {
    if (Duration.ofNanos(System.nanoTime() - sup.startedAt).compareTo(STABLE) > 0) {
      sup.backoff = Duration.ofSeconds(1);
    }
    say(
        s.serviceName()
            + " "
            + what
            + "; restarting in "
            + Fields.human(sup.backoff)
            + " (log: "
            + dataDir.resolve("logs").resolve(s.serviceName() + ".log")
            + ")");
    if (!sleep(sup.backoff)) {
      return;
    }
    sup.backoff =
        sup.backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
            ? MAX_BACKOFF
            : sup.backoff.multipliedBy(2);
    try {
      start(s, sup);
      say(s.serviceName() + " is ready again");
      recordClassData(s);
    } catch (RuntimeException e) {
      if (!stopping) {
        say(s.serviceName() + " did not start: " + firstLine(e.getMessage()));
      }
    }
  }

  /** Stops the services (in parallel), then Kafka and PostgreSQL; safe to call twice. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopping = true;
    long t0 = System.nanoTime();
    if (supervisor != null) {
      supervisor.interrupt();
    }
    recorder.shutdownNow();
    say("Stopping services…");
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    services.forEach(
        (s, sup) -> {
          ServiceProcess p = sup.process;
          if (p != null) {
            stops.add(CompletableFuture.runAsync(p::close));
          }
        });
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    if (infra != null) {
      say("Stopping Kafka and PostgreSQL…");
      Optional<ProcessHandle> postgres = postgresPid().flatMap(ProcessHandle::of);
      infra.close();
      // pg_ctl may return while the postmaster still finishes its shutdown checkpoint.
      postgres.ifPresent(Stack::awaitExit);
    }
    runFiles.clear();
    stopped = true;
    say("Stopped in " + Fields.human(Duration.ofNanos(System.nanoTime() - t0)) + ".");
  }

  private void recordChildren() {
    List<RunFiles.Child> children = new ArrayList<>();
    if (infra != null) {
      kafkaProcess().ifPresent(h -> children.add(RunFiles.Child.of("kafka", h)));
      postgresPid()
          .flatMap(ProcessHandle::of)
          .ifPresent(h -> children.add(RunFiles.Child.of("postgres", h)));
    }
    services.forEach(
        (s, sup) -> {
          if (sup.process != null) {
            children.add(RunFiles.Child.of(s.serviceName(), sup.process.process()));
          }
        });
    runFiles.writeChildren(children);
  }

  /**
   * The broker JVM: LocalInfrastructure keeps its handle to itself, and it is the only JVM child
   * alive before the services start, so it is found among our children then.
   */
  private Optional<ProcessHandle> kafkaProcess() {
    if (kafka == null) {
      kafka =
          ProcessHandle.current()
              .children()
              .filter(h -> h.info().command().orElse("").endsWith("java"))
              .findFirst()
              .orElse(null);
    }
    return Optional.ofNullable(kafka);
  }

  /** The postmaster's pid, from the pid file PostgreSQL keeps in its data directory. */
  Optional<Long> postgresPid() {
    Path pidFile = dataDir.resolve("infra/postgres/postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void awaitExit(ProcessHandle h) {
    try {
      h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      h.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      // it is gone either way
    }
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package dev.slipway.systemtests.faults;

import dev.slipway.local.KafkaBroker;
import dev.slipway.local.KafkaBrokerMain;
import dev.slipway.local.KafkaCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The whole platform as a user runs it: {@code slipway up} from the packaged CLI jar, which starts
 * Kafka, PostgreSQL and the four services from their packaged jars (LocalInfrastructure,
 * ServiceProcess) and restarts a service that dies. Adds what a fault test needs on top: SIGKILL of
 * a service, a stop and start of the broker and of PostgreSQL, and admin access to both for the
 * final-state check.
 */
final class Platform implements AutoCloseable {

  static final Path CLI_JAR =
      Path.of(System.getProperty("slipway.cli.jar", "../cli/target/slipway-cli.jar"));
  static final Path SERVICES = Path.of(System.getProperty("slipway.services.dir", ".."));
  static final List<String> SERVICE_NAMES =
      List.of("build-service", "test-service", "deploy-service", "promotion-service");

  private final Path dataDir;
  private final int base;
  private final Process up;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());

  /** Kafka or PostgreSQL as this class started them again: not {@code up}'s to stop. */
  private final List<AutoCloseable> restarted = new ArrayList<>();

  private Platform(Path dataDir, int base, Process up) {
    this.dataDir = dataDir;
    this.base = base;
    this.up = up;
  }

  /** Starts {@code slipway up} in {@code dataDir} and returns once it says it is ready. */
  static Platform start(Path dataDir) throws Exception {
    int base = freeBase();
    List<String> command =
        List.of(
            java(),
            "-jar",
            CLI_JAR.toAbsolutePath().toString(),
            "up",
            "--data-dir",
            dataDir.toString(),
            "--ports",
            Integer.toString(base),
            "--services-dir",
            SERVICES.toAbsolutePath().toString());
    Process up = new ProcessBuilder(command).redirectErrorStream(true).start();
    Platform platform = new Platform(dataDir, base, up);
    Thread reader = new Thread(platform::readOutput, "slipway-up-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    while (System.nanoTime() < deadline) {
      if (platform.said("ready:", 0)) {
        return platform;
      }
      if (!up.isAlive()) {
        throw new AssertionError(
            "slipway up exited with " + up.exitValue() + ": " + platform.output);
      }
      Thread.sleep(200);
    }
    platform.close();
    throw new AssertionError("slipway up never said ready: " + platform.output);
  }

  private void readOutput() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.out.println("[slipway up] " + line);
        output.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  Path dataDir() {
    return dataDir;
  }

  /** How many lines {@code slipway up} has printed: a mark to wait for later lines from. */
  int mark() {
    return output.size();
  }

  boolean said(String start, int from) {
    synchronized (output) {
      return output.subList(Math.min(from, output.size()), output.size()).stream()
          .anyMatch(l -> l.startsWith(start));
    }
  }

  /**
   * Waits until {@code slipway up} prints a line starting with {@code start} after {@code from}.
   */
  void awaitSaid(String start, int from, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!said(start, from)) {
      if (System.nanoTime() > deadline || !up.isAlive()) {
        throw new AssertionError("slipway up never said \"" + start + "\": " + output);
      }
      Thread.sleep(200);
    }
  }

  /**
   * Waits until every service answers its readiness check: after a fault {@code up} may still be
   * replacing one that stayed unready.
   */
  void awaitReady(Duration patience) throws InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + patience.toNanos();
    for (int port = base; port < base + SERVICE_NAMES.size(); port++) {
      java.net.http.HttpRequest ready =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
              .timeout(Duration.ofSeconds(5))
              .build();
      while (true) {
        try {
          if (http.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()
              == 200) {
            break;
          }
        } catch (IOException e) {
          // not listening (yet again)
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the service on port " + port + " is not ready: " + output);
        }
        Thread.sleep(500);
      }
    }
  }

  /** The service's current JVM: the child of {@code up} running its quarkus-run.jar. */
  ProcessHandle service(String name) {
    String jar = name + "/target/quarkus-app/quarkus-run.jar";
    return up.toHandle()
        .children()
        .filter(h -> commandLine(h.pid()).contains(jar))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not running"));
  }

  /** SIGKILLs the service, as a crash would, and waits until {@code up} has restarted it. */
  void killAndAwaitRestart(String name) throws InterruptedException {
    int mark = mark();
    ProcessHandle victim = service(name);
    victim.destroyForcibly();
    victim.onExit().join();
    awaitSaid(name + " is ready again", mark, Duration.ofMinutes(4));
  }

  /**
   * Stops the Kafka broker (SIGTERM: a clean shutdown, as an operator's restart does), keeps it
   * down for {@code downtime}, and starts it again on its data, port and credentials with
   * platform-local's {@link KafkaBroker}, as {@code up} started it.
   */
  void restartKafka(Duration downtime) throws Exception {
    ProcessHandle broker =
        up.descendants()
            .filter(h -> commandLine(h.pid()).contains(KafkaBrokerMain.class.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Kafka broker runs"));
    broker.destroy();
    broker.onExit().get(2, TimeUnit.MINUTES);
    Thread.sleep(downtime.toMillis());
    restarted.add(
        KafkaBroker.start(dataDir.resolve("infra/kafka"), base + 10, Duration.ofMinutes(2)));
  }

  /**
   * Stops PostgreSQL (SIGINT: a fast shutdown, which ends every session as a crash of the server
   * does for its clients), keeps it down for {@code downtime}, and starts the same postmaster again
   * from the command line, directory and environment it ran with. ({@code up}'s LocalPostgres holds
   * the lock of the data directory, so it cannot be started through a second one; as root, the
   * server runs in a user namespace, as zonky starts it, since PostgreSQL refuses to run as root.)
   */
  void restartPostgres(Duration downtime) throws Exception {
    Path pidFile = dataDir.resolve("infra/postgres/postmaster.pid");
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    List<String> command = new ArrayList<>();
    if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(List.of(commandLine(pid).strip().split(" ")));
    Map<String, String> environment = environment(pid);
    Path workingDir = Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd"));
    new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
    postmaster.onExit().get(2, TimeUnit.MINUTES);
    Thread.sleep(downtime.toMillis());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dataDir.resolve("infra/postgres.log").toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process server = builder.start();
    restarted.add(
        () -> {
          server.destroy();
          if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly();
          }
        });
  }

  private static Map<String, String> environment(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
    Map<String, String> env = new HashMap<>();
    for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  /** Kafka client configuration of the platform's admin principal. */
  Map<String, Object> kafkaAdmin() {
    Map<String, Object> config =
        new HashMap<>(
            KafkaCredentials.open(dataDir.resolve("infra/kafka/credentials.properties"))
                .clientConfig(KafkaCredentials.ADMIN));
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + (base + 10));
    return config;
  }

  /** A connection to the platform's database as the superuser, who reads every schema. */
  Connection database() throws SQLException, IOException {
    Properties logins = new Properties();
    try (var in = Files.newInputStream(dataDir.resolve("infra/postgres-credentials.properties"))) {
      logins.load(in);
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + (base + 11) + "/slipway",
        "postgres",
        logins.getProperty("postgres"));
  }

  /** What one CLI invocation printed and returned. */
  record Result(int code, String out, String err) {
    Result requireSuccess() {
      if (code != 0) {
        throw new AssertionError("slipway exited with " + code + ": " + out + err);
      }
      return this;
    }
  }

  /** Runs one {@code slipway} command against this platform. */
  Result cli(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(java(), "-jar", CLI_JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--data-dir", dataDir.toString()));
    Path out = Files.createTempFile(dataDir, "out", ".txt");
    Path err = Files.createTempFile(dataDir, "err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("slipway " + String.join(" ", args) + " did not finish");
    }
    Result result = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  /** {@code slipway down}, then whatever is left: what this class restarted, and up itself. */
  @Override
  public void close() throws Exception {
    try {
      if (up.isAlive()) {
        cli("down");
        up.waitFor(2, TimeUnit.MINUTES);
      }
    } finally {
      for (AutoCloseable again : restarted) {
        again.close();
      }
      up.descendants().forEach(ProcessHandle::destroyForcibly);
      up.destroyForcibly();
    }
  }

  /** The process's command line, its arguments joined by spaces; empty once it is gone. */
  private static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A base port whose twelve ports (services, router, Kafka, PostgreSQL) are all free. */
  static int freeBase() {
    for (int attempt = 0; attempt < 100; attempt++) {
      // Below Linux's ephemeral range, so no outgoing connection takes one between two starts.
      int base = ThreadLocalRandom.current().nextInt(20_000, 32_700);
      boolean free = true;
      for (int port = base; port <= base + 11 && free; port++) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of 12 ports");
  }

  /** A pause of up to {@code bound}, drawn from {@code random} so the seed replays it. */
  static Duration somewhereWithin(Random random, Duration bound) {
    return Duration.ofMillis(random.nextLong(Math.max(1, bound.toMillis())));
  }
}

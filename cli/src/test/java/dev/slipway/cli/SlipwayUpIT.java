package dev.slipway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built {@code slipway} jar as a user would: {@code up}, API commands, {@code down}. */
class SlipwayUpIT {

  static final Path CLI_JAR =
      Path.of(System.getProperty("slipway.cli.jar", "target/slipway-cli.jar"));
  static final Path SERVICES = Path.of(System.getProperty("slipway.services.dir", ".."));
  static final Pattern PID = Pattern.compile("pid (\\d+)");

  @TempDir Path dataDir;

  private Process up;
  private final List<String> upOutput = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void killWhateverIsLeft() throws Exception {
    if (up != null && up.isAlive()) {
      up.descendants().forEach(ProcessHandle::destroyForcibly);
      up.destroyForcibly();
    }
    // A test that failed after `demo` started a background `up` (it outlives the demo) must not
    // leave it and its platform running: `down` stops what run/ names.
    if (Files.exists(dataDir.resolve("run/up.pid"))
        || Files.exists(dataDir.resolve("run/children"))) {
      cli("down");
    }
  }

  @Test
  void demoOnAFreshDataDirectoryStartsThePlatformAndDownLeavesNoProcessBehind() throws Exception {
    int base = freeBase();
    Result demo = cli("demo", "--timeout", "300", "--ports", Integer.toString(base));
    assertEquals(0, demo.code(), demo.toString());
    assertTrue(demo.out().contains("starting the platform"), demo.toString());
    assertTrue(demo.out().contains("Demo complete: every step happened."), demo.toString());
    // The demo fetches each URL it prints and says so only when it answered with the app.
    List<String> answered =
        demo.out().lines().filter(l -> l.strip().startsWith("URL answered: http://")).toList();
    assertEquals(3, answered.size(), "staging, review app, production: " + demo);
    assertTrue(demo.out().contains("promoted artifact"), demo.toString());
    for (String kind : List.of("staging ", "review app ", "production ")) {
      assertTrue(
          demo.out()
              .lines()
              .anyMatch(l -> l.strip().startsWith(kind.strip()) && l.contains("http://")),
          kind + "URL in the summary: " + demo);
    }
    assertTrue(
        demo.out().contains("The platform keeps running: stop it with ./slipway down"),
        demo.toString());
    List<String> upLog = Files.readAllLines(dataDir.resolve("logs/up.log"));
    assertTrue(
        upLog.stream().anyMatch(l -> l.contains("sandbox: on (bubblewrap ")),
        "user code is sandboxed (bubblewrap is required for this test): " + upLog);
    List<Long> pids = pidsIn(upLog);
    assertEquals(6, pids.size(), "four services, Kafka and PostgreSQL were started");
    long upPid = Long.parseLong(Files.readString(dataDir.resolve("run/up.pid")).split("\\s+")[1]);

    Result created =
        cli(
            "pipelines:create",
            "itshop",
            "--repo",
            "https://github.com/acme/itshop",
            "--staging",
            "itshop-staging",
            "--production",
            "itshop-prod");
    assertEquals(0, created.code(), created.toString());
    assertTrue(created.out().contains("Created pipeline itshop"), created.toString());

    Result list = cli("pipelines", "--json");
    assertEquals(0, list.code(), list.toString());
    JsonNode pipelines = new ObjectMapper().readTree(list.out());
    assertTrue(pipelines.findValuesAsText("name").contains("itshop"), "the new pipeline is listed");

    Result duplicate = cli("pipelines:create", "itshop", "--repo", "https://github.com/acme/x");
    assertEquals(1, duplicate.code(), duplicate.toString());
    assertEquals("error: a pipeline named itshop already exists", duplicate.err().strip());

    // deploy-service creates the coupled apps when it consumes pipeline.created.
    Result set =
        retry(() -> cli("config:set", "itshop-staging", "GREETING=hello", "API_KEY=s3cret"));
    assertEquals(0, set.code(), set.toString());
    Result config = cli("config", "itshop-staging", "--json");
    JsonNode vars = new ObjectMapper().readTree(config.out());
    assertEquals("hello", vars.get("GREETING").asText());
    assertEquals("[REDACTED]", vars.get("API_KEY").asText());

    Result again = cli("demo", "--timeout", "300", "--stop");
    assertEquals(0, again.code(), again.toString());
    assertFalse(again.out().contains("starting the platform"), "uses the running one: " + again);

    Result down = cli("down");
    assertEquals(0, down.code(), down.toString());
    assertFalse(ProcessHandle.of(upPid).map(ProcessHandle::isAlive).orElse(false), "up still runs");
    for (long pid : pids) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " is still running after down");
    }
    assertEquals(List.of(), processesWorkingUnder(dataDir), "app processes left after down");
    assertTrue(Files.exists(dataDir.resolve("infra/postgres/PG_VERSION")), "state stays");
  }

  @Test
  void killingEachServiceOnceDuringTheDemoFlowStillCompletesIt() throws Exception {
    startUp(freeBase());
    // Each service dies while the demo waits on another part of the flow, and is needed again
    // afterwards: the restarted service has to take its events back and answer.
    Map<String, String> killAt = new LinkedHashMap<>();
    killAt.put("running the tests (Heroku CI)", "build-service");
    killAt.put("-staging to release", "test-service");
    killAt.put("opening pull request #1", "promotion-service");
    killAt.put("closing pull request #1", "deploy-service");
    Map<String, Long> pids = new HashMap<>();
    for (String service : killAt.values()) {
      pids.put(service, Long.parseLong(summaryLine(service).group(2)));
    }
    Process demo =
        new ProcessBuilder(
                java(),
                "-jar",
                CLI_JAR.toString(),
                "demo",
                "--timeout",
                "300",
                "--data-dir",
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    List<String> killed = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.out.println("[slipway demo] " + line);
        out.append(line).append('\n');
        for (Map.Entry<String, String> at : killAt.entrySet()) {
          if (line.contains(at.getKey()) && !killed.contains(at.getValue())) {
            ProcessHandle.of(pids.get(at.getValue())).ifPresent(ProcessHandle::destroyForcibly);
            killed.add(at.getValue());
          }
        }
      }
    }
    assertTrue(demo.waitFor(1, TimeUnit.MINUTES), "the demo ended its output but not its process");
    assertEquals(0, demo.exitValue(), out::toString);
    assertTrue(out.toString().contains("Demo complete: every step happened."), out::toString);
    assertEquals(List.copyOf(killAt.values()), killed, "each service was killed once: " + out);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    for (String service : killed) {
      assertTrue(said(service + " exited; restarting"), service + ": " + upOutput);
      while (!said(service + " is ready again") && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      assertTrue(said(service + " is ready again"), service + ": " + upOutput);
    }
    Result down = cli("down");
    assertEquals(0, down.code(), down.toString());
    assertTrue(up.waitFor(2, TimeUnit.MINUTES), "slipway up exits after down");
  }

  static List<Long> pidsIn(List<String> lines) {
    List<Long> pids = new ArrayList<>();
    for (String l : lines) {
      Matcher m = PID.matcher(l);
      if (m.find()) {
        pids.add(Long.parseLong(m.group(1)));
      }
    }
    return pids;
  }

  @Test
  void upKeepsEverySecretOffCommandLinesAndInPrivateFilesAndListensOnLoopbackOnly()
      throws Exception {
    int base = freeBase();
    List<Long> pids = startUp(base);
    List<String> secrets = new ArrayList<>();
    Properties installation = properties(dataDir.resolve("config.properties"));
    secrets.add(installation.getProperty("admin-token"));
    secrets.add(installation.getProperty("secrets-key"));
    Properties postgres = properties(dataDir.resolve("infra/postgres-credentials.properties"));
    postgres.stringPropertyNames().forEach(role -> secrets.add(postgres.getProperty(role)));
    assertEquals(7, secrets.size(), "admin token, secrets key, superuser and four service roles");
    Properties kafka = properties(dataDir.resolve("infra/kafka/credentials.properties"));
    kafka.stringPropertyNames().forEach(principal -> secrets.add(kafka.getProperty(principal)));
    assertTrue(
        kafka.size() >= 5, "the Kafka admin and four services: " + kafka.stringPropertyNames());

    Process ps = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
    String everyCommandLine =
        new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, ps.waitFor());
    assertTrue(everyCommandLine.contains("quarkus-run.jar"), everyCommandLine);
    List<Long> ours = new ArrayList<>(pids);
    up.descendants().forEach(h -> ours.add(h.pid()));
    for (long pid : ours) {
      String cmdline =
          new String(
              Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
      for (String secret : secrets) {
        assertFalse(cmdline.contains(secret), "a secret on the command line of " + cmdline);
      }
    }
    for (String secret : secrets) {
      assertFalse(everyCommandLine.contains(secret), "ps -eo args shows a secret");
    }

    assertEquals("rwx------", permissions(dataDir));
    assertEquals("rw-------", permissions(dataDir.resolve("config.properties")));
    assertEquals(
        "rw-------", permissions(dataDir.resolve("infra/postgres-credentials.properties")));
    assertEquals("rw-------", permissions(dataDir.resolve("infra/kafka/credentials.properties")));
    for (String service : List.of("build", "test", "deploy", "promotion")) {
      Path config = dataDir.resolve("run/" + service + "-service/config/application.properties");
      assertEquals("rw-------", permissions(config));
    }

    String jdbc = "jdbc:postgresql://127.0.0.1:" + (base + 11) + "/slipway";
    for (String user : List.of("postgres", "build_service", "test_service")) {
      SQLException refused =
          assertThrows(
              SQLException.class, () -> DriverManager.getConnection(jdbc, user, "").close());
      assertTrue(refused.getMessage().contains("password"), refused.getMessage());
    }

    Map<String, Object> anonymous = new HashMap<>();
    anonymous.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + (base + 10));
    anonymous.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(anonymous, new StringSerializer(), new StringSerializer())) {
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () ->
                  producer
                      .send(new ProducerRecord<>("slipway.builds", "k", "forged"))
                      .get(30, TimeUnit.SECONDS),
              "a Kafka client without credentials is refused");
      assertTrue(
          refused.getCause() instanceof org.apache.kafka.common.errors.TimeoutException,
          refused.toString());
    }

    for (int port : List.of(base, base + 1, base + 2, base + 3, base + 4, base + 10, base + 11)) {
      List<String> addresses = listeningAddresses(port);
      assertFalse(addresses.isEmpty(), "something listens on " + port);
      assertTrue(
          addresses.stream().allMatch(SlipwayUpIT::loopback),
          port + " listens beyond loopback: " + addresses);
    }

    Result down = cli("down");
    assertEquals(0, down.code(), down.toString());
    assertTrue(up.waitFor(2, TimeUnit.MINUTES), "slipway up exits after down");
  }

  @Test
  void aServiceThatStopsAnsweringIsKilledAndReplacedWhileTheOthersStay() throws Exception {
    startUp(freeBase(), "--restart-unready-after", "10");
    Matcher line = summaryLine("promotion-service");
    long stuck = Long.parseLong(line.group(2));
    URI ready = URI.create(line.group(1) + "/q/health/ready");
    long deploy = Long.parseLong(summaryLine("deploy-service").group(2));

    // A stopped JVM keeps its process and its port but answers nothing, like one out of heap.
    Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(stuck)).start();
    assertEquals(0, stop.waitFor());

    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!said("promotion-service is ready again") && System.nanoTime() < deadline) {
      assertTrue(up.isAlive(), "slipway up exited: " + upOutput);
      Thread.sleep(500);
    }
    assertTrue(said("promotion-service is ready again"), "replaced: " + upOutput);
    assertTrue(said("promotion-service has not been ready for over 10 s"), upOutput::toString);
    assertFalse(
        ProcessHandle.of(stuck).map(ProcessHandle::isAlive).orElse(false),
        "the stopped process was killed");
    HttpResponse<Void> answer =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, answer.statusCode(), "the new promotion-service answers on the same port");
    assertTrue(
        ProcessHandle.of(deploy).map(ProcessHandle::isAlive).orElse(false),
        "the services that kept answering were left alone");

    Result down = cli("down");
    assertEquals(0, down.code(), down.toString());
    assertTrue(up.waitFor(2, TimeUnit.MINUTES), "slipway up exits after down");
  }

  @Test
  void upAfterAKilledUpStopsWhatItLeftAndCtrlCOfUpStopsEverything() throws Exception {
    int base = freeBase();
    List<Long> first = startUp(base);
    // `up` itself dies without running its shutdown hook: its services, Kafka and PostgreSQL stay.
    up.toHandle().destroyForcibly();
    assertTrue(up.waitFor(30, TimeUnit.SECONDS));
    assertTrue(first.stream().allMatch(pid -> ProcessHandle.of(pid).isPresent()), "left running");

    // Its output also names the leftovers' pids: keep the new processes only.
    List<Long> second = startUp(base).stream().filter(pid -> !first.contains(pid)).toList();
    assertTrue(said("Stopping leftover promotion-service"), "says what it stops: " + upOutput);
    for (long pid : first) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " of the killed up still runs");
    }
    assertEquals(6, second.size(), "the second up started everything again: " + upOutput);

    // Ctrl-C: the terminal sends SIGINT to `up`.
    Process interrupt = new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start();
    assertEquals(0, interrupt.waitFor());
    assertTrue(up.waitFor(2, TimeUnit.MINUTES), "slipway up exits on Ctrl-C");
    long said = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!said("Stopped in ") && System.nanoTime() < said) {
      Thread.sleep(100);
    }
    assertTrue(said("Stopped in "), "stopped in order: " + upOutput);
    for (long pid : second) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " still runs after Ctrl-C");
    }
  }

  static Properties properties(Path file) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  /**
   * The local addresses (hex, as the kernel lists them) of TCP sockets listening on {@code port}.
   */
  static List<String> listeningAddresses(int port) throws IOException {
    List<String> found = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && "0A".equals(f[3]) && f[1].endsWith(String.format(":%04X", port))) {
          found.add(f[1].substring(0, f[1].indexOf(':')));
        }
      }
    }
    return found;
  }

  /** 127.0.0.1, ::ffff:127.0.0.1 or ::1 as /proc/net/tcp(6) writes them. */
  static boolean loopback(String hex) {
    return hex.equals("0100007F")
        || hex.equals("0000000000000000FFFF00000100007F")
        || hex.equals("00000000000000000000000001000000");
  }

  private boolean said(String start) {
    synchronized (upOutput) {
      return upOutput.stream().anyMatch(l -> l.startsWith(start));
    }
  }

  /** The summary line {@code slipway up} printed for {@code service}: its URL and its pid. */
  private Matcher summaryLine(String service) {
    Pattern summary =
        Pattern.compile("^\\s+" + Pattern.quote(service) + "\\s+(http://\\S+)\\s+pid (\\d+)");
    synchronized (upOutput) {
      for (String l : upOutput) {
        Matcher m = summary.matcher(l);
        if (m.find()) {
          return m;
        }
      }
    }
    throw new AssertionError("no summary line for " + service + ": " + upOutput);
  }

  /** Starts {@code slipway up} and answers the pids it printed once it says it is ready. */
  List<Long> startUp(int base, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-jar",
                CLI_JAR.toString(),
                "up",
                "--data-dir",
                dataDir.toString(),
                "--ports",
                Integer.toString(base),
                "--services-dir",
                SERVICES.toAbsolutePath().toString()));
    command.addAll(List.of(options));
    upOutput.clear();
    up = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  System.out.println("[slipway up] " + line);
                  upOutput.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    while (System.nanoTime() < deadline) {
      synchronized (upOutput) {
        if (upOutput.stream().anyMatch(l -> l.startsWith("ready:"))) {
          List<Long> pids = new ArrayList<>();
          for (String l : upOutput) {
            Matcher m = PID.matcher(l);
            if (m.find()) {
              pids.add(Long.parseLong(m.group(1)));
            }
          }
          return pids;
        }
      }
      if (!up.isAlive()) {
        throw new AssertionError("slipway up exited with " + up.exitValue() + ": " + upOutput);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("slipway up never said ready: " + upOutput);
  }

  /** Live processes whose working directory is inside {@code dir} (the apps the demo ran). */
  static List<String> processesWorkingUnder(Path dir) throws IOException {
    List<String> found = new ArrayList<>();
    Path real = dir.toRealPath();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        if (!proc.getFileName().toString().matches("[0-9]+")) {
          continue;
        }
        try {
          Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
          if (cwd.startsWith(real)
              && ProcessHandle.of(Long.parseLong(proc.getFileName().toString()))
                  .map(ProcessHandle::isAlive)
                  .orElse(false)) {
            found.add(proc.getFileName() + " in " + cwd);
          }
        } catch (IOException | SecurityException e) {
          // gone meanwhile, or not ours to read
        }
      }
    }
    return found;
  }

  /** What one CLI invocation printed and returned. */
  record Result(int code, String out, String err) {}

  Result cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", CLI_JAR.toString()));
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
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  interface Call {
    Result run() throws Exception;
  }

  static Result retry(Call call) throws Exception {
    Result last = null;
    for (int i = 0; i < 60; i++) {
      last = call.run();
      if (last.code() == 0) {
        return last;
      }
      Thread.sleep(1000);
    }
    return last;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A base port whose twelve ports (services, router, Kafka, PostgreSQL) are all free. */
  static int freeBase() {
    for (int attempt = 0; attempt < 100; attempt++) {
      // Below Linux's ephemeral range (32768-60999): an outgoing connection's local port there
      // could take a service's port between two starts of the same stack.
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
}

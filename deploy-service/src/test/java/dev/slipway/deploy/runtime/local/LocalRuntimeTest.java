package dev.slipway.deploy.runtime.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.deploy.runtime.AppRuntime.DeployFailedException;
import dev.slipway.deploy.runtime.AppRuntime.LogSubscription;
import dev.slipway.deploy.runtime.AppRuntime.OneOffResult;
import dev.slipway.deploy.runtime.AppRuntime.ProcessStatus;
import dev.slipway.deploy.runtime.AppRuntime.ProcessStatus.State;
import dev.slipway.deploy.runtime.AppRuntime.ReleaseSpec;
import dev.slipway.deploy.runtime.local.router.LocalRouter;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime with real child processes (a tiny Node.js app), the real router over loopback
 * HTTP and a real artifact store on disk.
 */
class LocalRuntimeTest {
  private static final String APP = "shop";
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(3);

  /** The argument marks the process, so the test finds it on the host (pids are sandboxed). */
  private static final String WEB = "node server.js slipway-web-$PORT";

  @TempDir Path dir;

  private Vertx vertx;
  private LocalRouter router;
  private FileSystemArtifactStore store;
  private LocalRuntime runtime;
  private Path workDir;
  private final String tag = "slipway-test-" + java.util.UUID.randomUUID();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws IOException {
    vertx = Vertx.vertx();
    router = LocalRouter.start(vertx, "127.0.0.1", 0);
    store = new FileSystemArtifactStore(dir.resolve("store"));
    workDir = dir.resolve("work");
    runtime =
        new LocalRuntime(
            store,
            router,
            workDir,
            LocalRuntimeSettings.herokuDefaults()
                .withBootTimeout(BOOT_TIMEOUT)
                .withStopGrace(Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(1500), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() throws Exception {
    runtime.close();
    router.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void deployedReleaseAnswersThroughTheRouterByHostAndByPath() throws Exception {
    runtime.deploy(release(1, slug("v1"), Map.of("web", WEB), Map.of()), line -> {});

    assertEquals(new Reply(200, "v1"), get("/"));
    assertTrue(getByHost(APP + ".localhost").endsWith("\r\n\r\nv1"));
    assertEquals(
        Optional.of(URI.create("http://shop.localhost:" + router.port() + "/")), runtime.url(APP));
    assertEquals(
        List.of(new ProcessStatus("web.1", "web", 1, State.UP, 0, null)), runtime.processes(APP));
  }

  @Test
  void logTailHasTheProcessOutputAndThePlatformLines() throws Exception {
    runtime.deploy(release(1, slug("v1"), Map.of("web", WEB), Map.of()), line -> {});

    await()
        .atMost(PATIENCE)
        .until(() -> tail(1500).stream().anyMatch(line -> line.contains("app[web.1]: listening")));
    List<String> lines = tail(1500);
    assertTrue(
        lines.stream().anyMatch(line -> line.endsWith("State changed from starting to up")),
        lines.toString());
    assertTrue(
        lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 .*"),
        lines.get(0));
    assertEquals(2, tail(2).size());
  }

  @Test
  void redeployUnderSteadyTrafficFailsNoRequestAndStopsTheOldProcess() throws Exception {
    runtime.deploy(release(1, slug("v1"), Map.of("web", WEB), Map.of()), line -> {});
    String oldWeb = get("/pid").body();
    assertTrue(alive(oldWeb), oldWeb);
    List<String> failures = new CopyOnWriteArrayList<>();
    List<String> lastAnswers = new CopyOnWriteArrayList<>();
    AtomicBoolean deployed = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      Thread client =
          new Thread(
              () -> {
                int afterDeploy = 0;
                String last = null;
                while (afterDeploy < 30) {
                  if (deployed.get()) {
                    afterDeploy++;
                  }
                  try {
                    Reply reply = get("/");
                    if (reply.status() != 200) {
                      failures.add(reply.toString());
                    }
                    last = reply.body();
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
                lastAnswers.add(last);
              });
      client.start();
      clients.add(client);
    }

    runtime.deploy(release(2, slug("v2"), Map.of("web", WEB), Map.of()), line -> {});
    deployed.set(true);
    for (Thread client : clients) {
      client.join(PATIENCE.toMillis());
    }

    assertEquals(List.of(), failures);
    assertEquals(List.of("v2", "v2", "v2"), lastAnswers);
    assertFalse(alive(oldWeb));
    assertEquals(
        List.of(new ProcessStatus("web.1", "web", 2, State.UP, 0, null)), runtime.processes(APP));
  }

  @Test
  void webThatNeverBindsFailsTheDeployAndThePreviousReleaseKeepsServing() throws Exception {
    runtime.deploy(release(1, slug("v1"), Map.of("web", WEB), Map.of()), line -> {});
    List<String> progress = new CopyOnWriteArrayList<>();
    ReleaseSpec silent =
        release(
            2,
            slug("v2"),
            Map.of(
                "web", sleeper("web"),
                "worker", sleeper("worker")),
            Map.of("web", 1, "worker", 1));

    DeployFailedException failure =
        assertThrows(DeployFailedException.class, () -> runtime.deploy(silent, progress::add));

    assertEquals(
        "web process failed to bind $PORT within 3 s (R10 boot timeout)", failure.getMessage());
    assertEquals(new Reply(200, "v1"), get("/"));
    List<String> lines = tail(1500);
    assertTrue(
        lines.stream().anyMatch(line -> line.endsWith(tag + "-web started")), lines::toString);
    assertTrue(lines.stream().anyMatch(line -> line.endsWith(tag + "-worker started")));
    assertFalse(alive(tag + "-web"));
    assertFalse(alive(tag + "-worker"));
    assertEquals(
        List.of(new ProcessStatus("web.1", "web", 1, State.UP, 0, null)), runtime.processes(APP));
    assertTrue(tail(1500).stream().anyMatch(line -> line.contains("Error R10 (Boot timeout)")));
  }

  @Test
  void webThatExitsDuringBootFailsTheDeployWithItsStatus() throws Exception {
    runtime.deploy(release(1, slug("v1"), Map.of("web", WEB), Map.of()), line -> {});

    DeployFailedException failure =
        assertThrows(
            DeployFailedException.class,
            () ->
                runtime.deploy(
                    release(2, slug("v2"), Map.of("web", "exit 7"), Map.of()), line -> {}));

    assertEquals("web process exited with status 7 during boot", failure.getMessage());
    assertEquals(new Reply(200, "v1"), get("/"));
  }

  @Test
  void crashedWebAnswersH14UntilItIsRestartedAndServesAgain() throws Exception {
    runtime.deploy(release(1, slug("v1"), Map.of("web", WEB), Map.of()), line -> {});

    try {
      get("/crash");
    } catch (IOException e) {
      // The process dies without answering this request.
    }

    // Between the exit and its detection the router sees a refused connection (H19); after
    // that, the restart backoff keeps web down long enough for H14 to be seen.
    Reply down =
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> get("/"), reply -> reply.body().startsWith("H14"));
    assertEquals(503, down.status());
    assertTrue(down.body().contains("web.1 crashed"), down.body());
    await().atMost(PATIENCE).until(() -> get("/").equals(new Reply(200, "v1")));
    ProcessStatus web = runtime.processes(APP).get(0);
    assertEquals(State.UP, web.state());
    assertTrue(web.restarts() >= 1, web.toString());
    assertEquals(3, web.lastExitCode());
    List<String> lines = tail(1500);
    assertTrue(
        lines.stream()
            .anyMatch(line -> line.endsWith("slipway[web.1]: Process exited with status 3")),
        lines.toString());
    assertTrue(lines.stream().anyMatch(line -> line.endsWith("State changed from up to crashed")));
  }

  @Test
  void failingReleasePhaseReportsItsStatusAndOutput() throws Exception {
    ReleaseSpec release = release(1, slug("v1"), Map.of("web", WEB), Map.of());
    List<String> output = new CopyOnWriteArrayList<>();

    OneOffResult result =
        runtime.runOneOff(release, "echo migrating; exit 1", PATIENCE, output::add);

    assertFalse(result.succeeded());
    assertEquals(1, result.exitCode());
    assertFalse(result.timedOut());
    assertEquals(List.of("migrating"), output);
    assertTrue(tail(1500).stream().anyMatch(line -> line.endsWith("app[run.1]: migrating")));
    assertEquals(List.of(), runtime.processes(APP));
  }

  @Test
  void secretConfigValuesTheAppPrintsAreMaskedInItsLog() throws Exception {
    ReleaseSpec release =
        new ReleaseSpec(
            APP,
            1,
            slug("v1"),
            Map.of("API_KEY", "key-5f4e3d2c1b", "REGION", "eu-west-1"),
            Map.of("web", WEB),
            Map.of());

    runtime.runOneOff(release, "echo \"key $API_KEY region $REGION\"", PATIENCE, line -> {});

    List<String> lines = tail(1500);
    assertTrue(
        lines.stream()
            .anyMatch(line -> line.endsWith("app[run.1]: key [REDACTED] region eu-west-1")),
        lines.toString());
    assertTrue(lines.stream().noneMatch(line -> line.contains("key-5f4e3d2c1b")), lines.toString());
  }

  @Test
  void appLogKeepsItsLastBytesAndSaysEarlierLinesWereDiscarded() {
    AppLog log = new AppLog(1500, 1024);
    for (int i = 0; i < 200; i++) {
      log.app("web.1", "line " + i + " " + "x".repeat(40));
    }
    List<String> lines = new ArrayList<>();
    log.subscribe(1500, false, lines::add).close();

    assertTrue(lines.get(0).startsWith("-----> output truncated: earlier lines were discarded"));
    assertTrue(lines.get(lines.size() - 1).contains("app[web.1]: line 199 "));
    int bytes = lines.stream().skip(1).mapToInt(line -> line.length() + 1).sum();
    assertTrue(bytes <= 1024, "bytes kept: " + bytes);
    List<String> last = new ArrayList<>();
    log.subscribe(2, false, last::add).close();
    assertEquals(2, last.size(), "a short tail has no notice");
  }

  @Test
  void oneOffPastItsTimeoutIsKilledWithEverythingItStarted() throws Exception {
    ReleaseSpec release = release(1, slug("v1"), Map.of("web", WEB), Map.of());

    List<String> output = new CopyOnWriteArrayList<>();

    OneOffResult result =
        runtime.runOneOff(
            release, sleeper("child") + " & sleep 600", Duration.ofSeconds(1), output::add);

    assertTrue(result.timedOut());
    assertFalse(result.succeeded());
    assertTrue(output.contains(tag + "-child started"), output::toString);
    assertFalse(alive(tag + "-child"));
  }

  @Test
  void appProcessesRunSandboxedSeeingOnlyTheirOwnSlug() throws Exception {
    String secret = "admin-token=" + java.util.UUID.randomUUID();
    Path config = Files.writeString(dir.resolve("config.properties"), secret);
    ReleaseSpec release = release(1, slug("v1"), Map.of("web", WEB), Map.of());
    runtime.deploy(release, line -> {});
    List<String> output = new CopyOnWriteArrayList<>();

    OneOffResult result =
        runtime.runOneOff(
            release,
            String.join(
                "; ",
                "cat " + config + " 2>&1",
                "echo \"apps [$(ls " + workDir.resolve("apps") + ")]\"",
                "echo \"pids $(ls /proc | grep -c '^[0-9]*$')\"",
                "(echo planted > " + dir.resolve("planted") + ") 2>/dev/null || echo write refused",
                "echo \"uid $(id -u) home $HOME\"",
                "echo kept > kept.txt"),
            PATIENCE,
            output::add);

    assertTrue(result.succeeded(), output.toString());
    assertEquals("cat: " + config + ": No such file or directory", output.get(0));
    assertFalse(String.join("\n", output).contains(secret));
    assertEquals("apps [" + APP + "]", output.get(1), "no other app's files");
    assertTrue(Integer.parseInt(output.get(2).substring(5)) <= 5, "no other process: " + output);
    assertEquals("write refused", output.get(3));
    assertFalse(Files.exists(dir.resolve("planted")));
    Path slug = workDir.resolve("apps").resolve(APP).resolve("v1");
    assertTrue(output.get(4).endsWith(" home " + slug), output.get(4));
    if ("root".equals(System.getProperty("user.name"))) {
      assertEquals("uid 65534 home " + slug, output.get(4), "not root inside");
    }
    assertEquals("kept\n", Files.readString(slug.resolve("kept.txt")), "its slug is writable");
    assertEquals(new Reply(200, "v1"), get("/"), "the router still reaches web");
  }

  @Test
  void configValuesReachProcessesOnlyThroughTheEnvironment() throws Exception {
    String tricky = "$(touch pwned) `touch pwned2` 'quoted\" ; exit 9";
    ReleaseSpec release =
        new ReleaseSpec(
            APP,
            1,
            slug(
                "v1", Map.of(".profile.d/greeting.sh", "export GREETING=\"hello from profile\"\n")),
            Map.of("SECRET", tricky),
            Map.of("web", WEB),
            Map.of());
    List<String> output = new CopyOnWriteArrayList<>();

    OneOffResult result =
        runtime.runOneOff(
            release,
            "printf '%s\\n' \"$SECRET\" \"$GREETING\" \"$DYNO\" \"$SLIPWAY_RELEASE_VERSION\" \"$PORT\"",
            PATIENCE,
            output::add);

    assertTrue(result.succeeded(), output.toString());
    assertEquals(List.of(tricky, "hello from profile", "run.1", "v1"), output.subList(0, 4));
    assertTrue(output.get(4).matches("\\d+"), output.get(4));
    runtime.deploy(release, line -> {});
    assertEquals(new Reply(200, "hello from profile\n" + tricky + "\nweb.1"), get("/env"));
    try (var files = Files.walk(workDir)) {
      assertTrue(files.noneMatch(path -> path.getFileName().toString().startsWith("pwned")));
    }
  }

  @Test
  void destroyStopsEveryProcessRemovesTheRouteAndTheWorkDirectory() throws Exception {
    runtime.deploy(
        release(
            1,
            slug("v1"),
            Map.of("web", WEB, "worker", sleeper("worker")),
            Map.of("web", 1, "worker", 1)),
        line -> {});
    String web = get("/pid").body();
    String worker = tag + "-worker";
    assertTrue(alive(web), web);
    await().atMost(PATIENCE).until(() -> alive(worker));
    assertTrue(Files.isDirectory(workDir.resolve("apps").resolve(APP)));

    runtime.destroy(APP);

    assertFalse(alive(web));
    assertFalse(alive(worker));
    assertEquals(404, get("/").status());
    assertFalse(Files.exists(workDir.resolve("apps").resolve(APP)));
    assertEquals(List.of(), runtime.processes(APP));
    assertEquals(Optional.empty(), runtime.url(APP));
  }

  @Test
  void scaleStartsAndStopsProcessesOfTheCurrentRelease() throws Exception {
    runtime.deploy(
        release(1, slug("v1"), Map.of("web", WEB, "worker", "exec sleep 600"), Map.of()),
        line -> {});
    assertEquals(List.of("web.1"), names());

    runtime.scale(APP, Map.of("web", 1, "worker", 2));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                runtime.processes(APP).stream()
                    .filter(process -> process.type().equals("worker"))
                    .allMatch(process -> process.state() == State.UP));
    assertEquals(List.of("web.1", "worker.1", "worker.2"), names());

    runtime.scale(APP, Map.of("worker", 1));

    // The stopped processes leave the list once their exit has been seen.
    await().atMost(PATIENCE).until(() -> names().equals(List.of("worker.1")));
    Reply reply = get("/");
    assertEquals(503, reply.status());
    assertTrue(reply.body().startsWith("H14"), reply.body());
    assertThrows(IllegalArgumentException.class, () -> runtime.scale(APP, Map.of("clock", 1)));
  }

  @Test
  void deployingTheRunningVersionAgainChangesNothing() throws Exception {
    ReleaseSpec release = release(1, slug("v1"), Map.of("web", WEB), Map.of());
    runtime.deploy(release, line -> {});
    String pid = get("/pid").body();

    runtime.deploy(release, line -> {});

    assertEquals(pid, get("/pid").body());
  }

  @Test
  void releaseWithoutWebRunsItsProcessesUnrouted() throws Exception {
    runtime.deploy(release(1, slug("v1"), Map.of("web", WEB), Map.of()), line -> {});

    runtime.deploy(
        release(2, slug("v2"), Map.of("worker", "exec sleep 600"), Map.of("worker", 1)),
        line -> {});

    assertEquals(404, get("/").status());
    assertEquals(Optional.empty(), runtime.url(APP));
    assertEquals(
        List.of(new ProcessStatus("worker.1", "worker", 2, State.UP, 0, null)),
        runtime.processes(APP));
  }

  @Test
  void followedLogsGetNewLinesUntilClosed() throws Exception {
    ReleaseSpec release = release(1, slug("v1"), Map.of("web", WEB), Map.of());
    List<String> followed = new CopyOnWriteArrayList<>();
    LogSubscription subscription = runtime.logs(APP, 10, true, followed::add);

    runtime.runOneOff(release, "echo first", PATIENCE, line -> {});
    subscription.close();
    runtime.runOneOff(release, "echo second", PATIENCE, line -> {});

    assertTrue(
        followed.stream().anyMatch(line -> line.endsWith("app[run.1]: first")),
        followed.toString());
    assertTrue(followed.stream().noneMatch(line -> line.contains("second")), followed.toString());
  }

  @Test
  void keepsOnlyTheCurrentAndPreviousReleaseDirectories() throws Exception {
    for (int version = 1; version <= 3; version++) {
      runtime.deploy(
          release(version, slug("v" + version), Map.of("web", WEB), Map.of()), line -> {});
    }

    List<String> left;
    try (var entries = Files.list(workDir.resolve("apps").resolve(APP))) {
      left = new ArrayList<>(entries.map(path -> path.getFileName().toString()).toList());
    }
    Collections.sort(left);
    assertEquals(List.of("v2", "v3"), left);
    assertEquals(new Reply(200, "v3"), get("/"));
  }

  private ReleaseSpec release(
      int version, String digest, Map<String, String> types, Map<String, Integer> formation) {
    return new ReleaseSpec(APP, version, digest, Map.of(), types, formation);
  }

  private String slug(String version) throws IOException {
    return slug(version, Map.of());
  }

  /** Packs the test app answering {@code version}, plus extra files, and stores it. */
  private String slug(String version, Map<String, String> extra) throws IOException {
    Path source = Files.createTempDirectory(dir, "slug-");
    try (InputStream server = getClass().getResourceAsStream("server.js")) {
      Files.copy(server, source.resolve("server.js"));
    }
    Files.writeString(source.resolve("VERSION"), version + "\n");
    for (Map.Entry<String, String> file : extra.entrySet()) {
      Path target = source.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }
    Path tarGz = dir.resolve(source.getFileName() + ".tar.gz");
    Archives.pack(source, tarGz);
    return store.put(tarGz).digest().toString();
  }

  private List<String> names() {
    return runtime.processes(APP).stream().map(ProcessStatus::name).toList();
  }

  private List<String> tail(int lines) {
    List<String> result = new ArrayList<>();
    runtime.logs(APP, lines, false, result::add).close();
    return result;
  }

  /** A command that says it started and sleeps in a process marked {@code <tag>-<name>}. */
  private String sleeper(String name) {
    return "echo "
        + tag
        + "-"
        + name
        + " started; exec bash -c 'sleep 600; true' "
        + tag
        + "-"
        + name;
  }

  /**
   * Whether a process marked {@code marker} (an argument of its command line) still runs on the
   * host; a zombie does not count: an orphan is reaped by whatever init the machine has, if any.
   */
  private static boolean alive(String marker) {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                java.util.Arrays.asList(p.info().arguments().orElse(new String[0]))
                    .contains(marker))
        .anyMatch(LocalRuntimeTest::running);
  }

  private static boolean running(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  private Reply get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + router.port() + "/apps/" + APP + path))
                .timeout(PATIENCE)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  /** The JDK client will not send a Host header of our choosing, so this one is by hand. */
  private String getByHost(String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", router.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private record Reply(int status, String body) {}
}

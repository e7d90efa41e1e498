package dev.slipway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.cli.SlipwayUpIT.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Heroku user's Java app with a database through the whole flow on {@code slipway up}: CI with
 * concurrent runs on a fixed port, staging that never moves back, rollback with config, live logs.
 */
class HerokuParityIT {

  static final Path JAVA_EXAMPLE = SlipwayUpIT.SERVICES.resolve("examples/java-maven-web");
  static final ObjectMapper JSON = new ObjectMapper();
  static final PersonIdent AUTHOR = new PersonIdent("Parity Test", "parity@slipway.invalid");
  static final Duration PATIENCE = Duration.ofMinutes(8);

  /**
   * The CI test: holds the fixed port 5000 for a while (so that two runs overlap) and reads
   * JDBC_DATABASE_URL, which the Maven buildpack's profile derives from the add-on's DATABASE_URL.
   */
  static final String PROBE =
      """
      import java.net.InetAddress;
      import java.net.ServerSocket;

      public class CiProbe {
        public static void main(String[] args) throws Exception {
          System.out.println("1..2");
          try (ServerSocket s = new ServerSocket(5000, 50, InetAddress.getLoopbackAddress())) {
            long from = System.currentTimeMillis();
            Thread.sleep(20_000);
            System.out.println("# port 5000 held from " + from + " to " + System.currentTimeMillis());
            System.out.println("ok 1 - listened on the fixed port 5000");
          } catch (java.io.IOException e) {
            System.out.println("not ok 1 - port 5000: " + e);
            System.exit(1);
          }
          String jdbc = System.getenv("JDBC_DATABASE_URL");
          if (jdbc == null || !jdbc.startsWith("jdbc:postgresql://")) {
            System.out.println("not ok 2 - JDBC_DATABASE_URL is " + (jdbc == null ? "unset" : "odd"));
            System.exit(1);
          }
          String path = jdbc.substring(jdbc.indexOf('/', "jdbc:postgresql://".length()) + 1);
          String database = path.split("[?]")[0];
          System.out.println("ok 2 - JDBC_DATABASE_URL names database " + database
              + " as " + System.getenv("JDBC_DATABASE_USERNAME"));
        }
      }
      """;

  @TempDir Path dataDir;

  private final SlipwayUpIT platform = new SlipwayUpIT();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  private Process tail;

  @AfterEach
  void stopEverything() throws Exception {
    if (tail != null) {
      tail.destroyForcibly();
    }
    try {
      platform.cli("down");
    } finally {
      platform.killWhateverIsLeft();
    }
  }

  @Test
  void javaAppWithADatabaseGoesThroughConcurrentCiStagingNeverBackRollbackAndLiveLogs()
      throws Exception {
    platform.dataDir = dataDir;
    int base = SlipwayUpIT.freeBase();
    platform.startUp(base);
    Path repo = dataDir.resolve("parity-app");
    String first = createRepository(repo);

    JsonNode created =
        json(
            cli(
                "pipelines:create",
                "parity",
                "--repo",
                repo.toString(),
                "--staging",
                "parity-staging",
                "--production",
                "parity-prod",
                "--json"));
    URI webhook = URI.create(created.get("webhook_url").asText());
    String secret = created.get("webhook_secret").asText();
    // Until build-service has read pipeline.created it answers 503 (created just now) or 404.
    await(
        "build-service knows the pipeline",
        () -> {
          HttpResponse<String> r = deliver(webhook, secret, "ping", ping(repo));
          if (r.statusCode() == 404 || r.statusCode() == 503) {
            return Optional.empty();
          }
          assertEquals(2, r.statusCode() / 100, r::body);
          return Optional.of(r);
        });

    assertEquals(202, deliver(webhook, secret, "push", push(repo, first)).statusCode());
    JsonNode runOfFirst = awaitRun(first, "succeeded");
    String firstDigest = digestOfBuild(runOfFirst.get("build_id").asText());
    awaitRelease("parity-staging", firstDigest);

    String second = commit(repo, "README.md", "The second commit.\n", "Second commit");
    assertEquals(202, deliver(webhook, secret, "push", push(repo, second)).statusCode());
    JsonNode runOfSecond = awaitRun(second, "succeeded");
    String secondDigest = digestOfBuild(runOfSecond.get("build_id").asText());
    assertNotEquals(firstDigest, secondDigest, "another commit, another artifact");
    int stagingAtSecond = awaitRelease("parity-staging", secondDigest).get("version").asInt();

    // Re-run CI of both commits at once: both runs hold port 5000 at the same time and pass.
    CompletableFuture<Result> rerunFirst =
        CompletableFuture.supplyAsync(() -> rerun(runOfFirst.get("id").asText()));
    CompletableFuture<Result> rerunSecond =
        CompletableFuture.supplyAsync(() -> rerun(runOfSecond.get("id").asText()));
    String againFirst = json(rerunFirst.get(5, TimeUnit.MINUTES)).get("id").asText();
    String againSecond = json(rerunSecond.get(5, TimeUnit.MINUTES)).get("id").asText();
    long[] heldFirst = portWindow(awaitRunEnd(againFirst));
    long[] heldSecond = portWindow(awaitRunEnd(againSecond));
    assertTrue(
        heldFirst[0] < heldSecond[1] && heldSecond[0] < heldFirst[1],
        "both runs held port 5000 at the same time: "
            + List.of(heldFirst[0], heldFirst[1], heldSecond[0], heldSecond[1]));
    String output = cli("logs", "--test-run", againSecond).out();
    assertTrue(
        Pattern.compile("(?m)^ok 2 - JDBC_DATABASE_URL names database \\w+ as \\w+$")
            .matcher(output)
            .find(),
        output);

    // The older commit passed again, later: staging stays on the newer one (Heroku auto-deploy).
    Thread.sleep(10_000);
    JsonNode releases = json(cli("releases", "parity-staging", "--json"));
    JsonNode current = current(releases);
    assertEquals(secondDigest, current.get("artifact_digest").asText(), releases::toString);
    for (JsonNode r : releases) {
      assertTrue(
          r.get("version").asInt() <= stagingAtSecond
              || !firstDigest.equals(r.get("artifact_digest").asText()),
          "staging moved back to the older commit: " + releases);
    }

    // The app.json add-on is attached to staging, and its web dyno got the JDBC variables.
    assertTrue(cli("addons", "-a", "parity-staging").out().contains("heroku-postgresql"));

    // Rollback restores v-config's slug and config; a tail started before sees the new dyno.
    assertEquals(0, cli("config:set", "parity-staging", "GREETING=Hello first").code());
    int withFirst =
        current(json(cli("releases", "parity-staging", "--json"))).get("version").asInt();
    assertEquals(0, cli("config:set", "parity-staging", "GREETING=Hello second").code());
    awaitAnswer(base + 4, "parity-staging", "Hello second");
    List<String> tailed = startTail("parity-staging");
    await(
        "the tail prints the app's recent lines",
        () -> tailed.isEmpty() ? Optional.empty() : Optional.of(true));
    Result rollback = cli("releases:rollback", "parity-staging", "v" + withFirst);
    assertEquals(0, rollback.code(), rollback.toString());
    awaitAnswer(base + 4, "parity-staging", "Hello first");
    assertEquals(
        "Hello first", json(cli("config", "parity-staging", "--json")).get("GREETING").asText());
    int rolledBack =
        current(json(cli("releases", "parity-staging", "--json"))).get("version").asInt();
    assertTrue(rolledBack > withFirst + 1, "a new release: v" + rolledBack);
    String started = "web v" + rolledBack + " starting: Hello first, jdbc:postgresql";
    await(
        "the tail shows the line the rolled-back release's dyno printed",
        () -> {
          synchronized (tailed) {
            return tailed.stream().anyMatch(l -> l.contains(started))
                ? Optional.of(true)
                : Optional.empty();
          }
        });
  }

  /** The Java example with a database add-on, a fixed-port CI test and a chatty web process. */
  private static String createRepository(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(JAVA_EXAMPLE)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path relative = JAVA_EXAMPLE.relativize(from);
        if (relative.startsWith("target")) {
          continue;
        }
        Path to = dir.resolve(relative.toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    ObjectNode app = (ObjectNode) JSON.readTree(dir.resolve("app.json").toFile());
    app.putArray("addons").add("heroku-postgresql");
    ObjectNode test = app.withObject("/environments/test");
    test.putArray("addons").add("heroku-postgresql");
    test.putObject("scripts").put("test", "java bin/CiProbe.java");
    Files.writeString(
        dir.resolve("app.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(app));
    Files.writeString(dir.resolve("bin/CiProbe.java"), PROBE);
    Files.writeString(
        dir.resolve("Procfile"),
        Files.readString(dir.resolve("Procfile"))
            .replace(
                "web: java",
                "web: echo \"web $SLIPWAY_RELEASE_VERSION starting: $GREETING, ${JDBC_DATABASE_URL%%//*}\";"
                    + " exec java"));
    try (Git git = Git.init().setInitialBranch("main").setDirectory(dir.toFile()).call()) {
      git.add().addFilepattern(".").call();
      return git.commit()
          .setMessage("Initial commit")
          .setAuthor(AUTHOR)
          .setCommitter(AUTHOR)
          .setSign(false)
          .call()
          .getName();
    }
  }

  static String commit(Path dir, String file, String content, String message) throws Exception {
    Files.writeString(dir.resolve(file), content);
    try (Git git = Git.open(dir.toFile())) {
      git.add().addFilepattern(file).call();
      return git.commit()
          .setMessage(message)
          .setAuthor(AUTHOR)
          .setCommitter(AUTHOR)
          .setSign(false)
          .call()
          .getName();
    }
  }

  private Result cli(String... args) throws Exception {
    return platform.cli(args);
  }

  private Result rerun(String runId) {
    try {
      return cli("ci:rerun", runId, "--json");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(Result r) throws IOException {
    assertEquals(0, r.code(), r.toString());
    return JSON.readTree(r.out());
  }

  private static JsonNode current(JsonNode releases) {
    for (JsonNode r : releases) {
      if (r.path("current").asBoolean()) {
        return r;
      }
    }
    throw new AssertionError("no current release: " + releases);
  }

  /** The newest test run of {@code sha}, once it ended with {@code status}. */
  private JsonNode awaitRun(String sha, String status) throws Exception {
    JsonNode run =
        await(
            "a test run of " + sha,
            () -> {
              for (JsonNode r : json(cli("ci", "-p", "parity", "--json"))) {
                if (sha.equals(r.path("commit_sha").asText())) {
                  return Optional.of(r);
                }
              }
              return Optional.empty();
            });
    JsonNode done = awaitRunEnd(run.get("id").asText());
    assertEquals(status, done.get("status").asText(), () -> done + "\n" + runOutput(done));
    return done;
  }

  private JsonNode awaitRunEnd(String id) throws Exception {
    try {
      return awaitEnd(id);
    } catch (AssertionError e) {
      Result info = cli("ci:info", id);
      Result out = cli("logs", "--test-run", id);
      throw new AssertionError(e.getMessage() + ":\n" + info + "\n" + out, e);
    }
  }

  private JsonNode awaitEnd(String id) throws Exception {
    return await(
        "test run " + id + " ends",
        () -> {
          JsonNode r = json(cli("ci:info", id, "--json")).get("test_run");
          String status = r.path("status").asText();
          return List.of("succeeded", "failed", "errored", "cancelled").contains(status)
              ? Optional.of(r)
              : Optional.empty();
        });
  }

  private String runOutput(JsonNode run) {
    try {
      return cli("logs", "--test-run", run.get("id").asText()).out();
    } catch (Exception e) {
      return "(no output: " + e + ")";
    }
  }

  /** When the run's probe held port 5000: {from, to} in epoch milliseconds. */
  private long[] portWindow(JsonNode run) throws Exception {
    String output = runOutput(run);
    assertEquals("succeeded", run.get("status").asText(), () -> run + "\n" + output);
    Matcher m = Pattern.compile("# port 5000 held from (\\d+) to (\\d+)").matcher(output);
    assertTrue(m.find(), output);
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  private String digestOfBuild(String buildId) throws Exception {
    return json(cli("builds:info", buildId, "--json")).path("artifact").path("digest").asText();
  }

  private JsonNode awaitRelease(String app, String digest) throws Exception {
    return await(
        app + " runs " + digest,
        () -> {
          JsonNode current = null;
          Result r = cli("releases", app, "--json");
          if (r.code() != 0) {
            return Optional.empty();
          }
          for (JsonNode rel : JSON.readTree(r.out())) {
            if (rel.path("current").asBoolean()) {
              current = rel;
            }
          }
          return current != null && digest.equals(current.path("artifact_digest").asText())
              ? Optional.of(current)
              : Optional.empty();
        });
  }

  private void awaitAnswer(int routerPort, String app, String expected) throws Exception {
    await(
        app + " answers " + expected, () -> get(routerPort, app).filter(b -> b.contains(expected)));
  }

  /**
   * GET / of {@code app} through the router: a plain HTTP/1.0 request, since the JDK's client
   * refuses to set the Host header the router routes by.
   */
  private static Optional<String> get(int routerPort, String app) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), routerPort)) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              ("GET / HTTP/1.0\r\nHost: " + app + ".localhost:" + routerPort + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.0 200")
          ? Optional.of(answer.substring(answer.indexOf("\r\n\r\n") + 4))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code slipway logs APP --tail} in the background; its lines as they come. */
  private List<String> startTail(String app) throws IOException {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    tail =
        new ProcessBuilder(
                SlipwayUpIT.java(),
                "-jar",
                SlipwayUpIT.CLI_JAR.toString(),
                "logs",
                app,
                "--tail",
                "--data-dir",
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  System.out.println("[logs --tail] " + line);
                  lines.add(line);
                }
              } catch (IOException e) {
                // the tail was stopped
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  interface Check<T> {
    Optional<T> get() throws Exception;
  }

  static <T> T await(String what, Check<T> check) throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      Optional<T> v = check.get();
      if (v.isPresent()) {
        return v.get();
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("gave up waiting until " + what);
  }

  static HttpResponse<String> deliver(URI url, String secret, String event, ObjectNode payload)
      throws Exception {
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", UUID.randomUUID().toString())
            .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static ObjectNode repository(Path repo) {
    ObjectNode r = JSON.createObjectNode();
    for (String f : new String[] {"html_url", "clone_url", "url", "ssh_url", "git_url"}) {
      r.put(f, repo.toString());
    }
    return r.put("full_name", "acme/parity").put("name", "parity");
  }

  static ObjectNode ping(Path repo) {
    ObjectNode p = JSON.createObjectNode().put("zen", "Design for failure.");
    p.set("repository", repository(repo));
    return p;
  }

  static ObjectNode push(Path repo, String sha) {
    ObjectNode p = JSON.createObjectNode();
    p.put("ref", "refs/heads/main").put("before", "0".repeat(40)).put("after", sha);
    p.set("repository", repository(repo));
    p.putObject("pusher").put("name", "parity");
    p.putObject("sender").put("login", "parity");
    p.putObject("head_commit").put("id", sha).put("message", "a commit");
    return p;
  }
}

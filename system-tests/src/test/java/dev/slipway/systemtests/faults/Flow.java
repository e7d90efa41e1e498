package dev.slipway.systemtests.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The load a fault test puts on the platform, only through its public interfaces: pipelines created
 * with the CLI, commits pushed to git repositories and announced by signed GitHub push webhooks. A
 * delivery that fails (service down, 5xx) is delivered again with the same delivery id, as a user
 * presses "Redeliver" on GitHub.
 */
final class Flow {

  static final ObjectMapper JSON = new ObjectMapper();
  static final PersonIdent AUTHOR = new PersonIdent("Fault Test", "faults@slipway.invalid");

  /** The example app whose build, tests and boot take a second or two (no dependencies). */
  static final Path APP = Platform.SERVICES.resolve("examples/nodejs-web");

  /** One pipeline of the load: its repository, webhook and what was pushed to it, in order. */
  record Pipeline(
      String id,
      String name,
      String staging,
      Path repo,
      URI webhook,
      String secret,
      List<String> pushed) {
    String newest() {
      return pushed.get(pushed.size() - 1);
    }
  }

  private final Platform platform;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Pipeline> pipelines = new ArrayList<>();

  Flow(Platform platform) {
    this.platform = platform;
  }

  List<Pipeline> pipelines() {
    return pipelines;
  }

  /** Creates {@code count} pipelines named {@code prefix-i}, each with a repository of the app. */
  List<Pipeline> createPipelines(String prefix, int count) throws Exception {
    List<Pipeline> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      Path repo = platform.dataDir().resolve("repos").resolve(name);
      String first = createRepository(repo);
      JsonNode p =
          JSON.readTree(
              platform
                  .cli(
                      "pipelines:create",
                      name,
                      "--repo",
                      repo.toString(),
                      "--staging",
                      name + "-staging",
                      "--production",
                      name + "-prod",
                      "--json")
                  .requireSuccess()
                  .out());
      Pipeline pipeline =
          new Pipeline(
              p.get("id").asText(),
              name,
              name + "-staging",
              repo,
              URI.create(p.get("webhook_url").asText()),
              p.get("webhook_secret").asText(),
              Collections.synchronizedList(new ArrayList<>(List.of())));
      awaitKnown(pipeline);
      pipelines.add(pipeline);
      created.add(pipeline);
      pushed(pipeline, first);
    }
    return created;
  }

  /**
   * Pushes {@code commits} commits to every pipeline of {@code of}, the pipelines concurrently,
   * each pipeline's commits one after another {@code gap} apart.
   */
  void push(List<Pipeline> of, int commits, Duration gap) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(of.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Pipeline p : of) {
        running.add(
            pool.submit(
                () -> {
                  for (int c = 0; c < commits; c++) {
                    String sha =
                        commit(p.repo(), "README.md", UUID.randomUUID() + "\n", "commit " + c);
                    pushed(p, sha);
                    Thread.sleep(gap.toMillis());
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void pushed(Pipeline p, String sha) throws Exception {
    p.pushed().add(sha);
    deliver(p, "push", push(p.repo(), sha));
  }

  /** Until build-service has read pipeline.created it answers 404 or 503 to the ping. */
  private void awaitKnown(Pipeline p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send(p, "ping", ping(p.repo()), UUID.randomUUID().toString());
      if (r != null && r.statusCode() / 100 == 2) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("build-service never learnt of pipeline " + p.name());
  }

  /** Delivers until the service accepts it, with one delivery id: GitHub's "Redeliver". */
  private void deliver(Pipeline p, String event, ObjectNode payload) throws Exception {
    String delivery = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = send(p, event, payload, delivery);
      if (last != null && last.statusCode() / 100 == 2) {
        return;
      }
      if (last != null && last.statusCode() / 100 == 4) {
        throw new AssertionError(event + " to " + p.name() + " refused: " + last.body());
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        event + " to " + p.name() + " never accepted: " + (last == null ? "" : last.body()));
  }

  private HttpResponse<String> send(Pipeline p, String event, ObjectNode payload, String delivery)
      throws Exception {
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(p.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    HttpRequest request =
        HttpRequest.newBuilder(p.webhook())
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", delivery)
            .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null; // down or restarting: delivered again
    }
  }

  private static String createRepository(Path repo) throws Exception {
    Files.createDirectories(repo);
    try (Stream<Path> files = Files.walk(APP)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = repo.resolve(APP.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      return git.commit()
          .setMessage("The app")
          .setAuthor(AUTHOR)
          .setCommitter(AUTHOR)
          .setSign(false)
          .call()
          .getName();
    }
  }

  private static synchronized String commit(Path dir, String file, String content, String message)
      throws Exception {
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

  private static ObjectNode repository(Path repo) {
    ObjectNode r = JSON.createObjectNode();
    for (String f : new String[] {"html_url", "clone_url", "url", "ssh_url", "git_url"}) {
      r.put(f, repo.toString());
    }
    String name = repo.getFileName().toString();
    return r.put("full_name", "acme/" + name).put("name", name);
  }

  private static ObjectNode ping(Path repo) {
    ObjectNode p = JSON.createObjectNode().put("zen", "Design for failure.");
    p.set("repository", repository(repo));
    return p;
  }

  private static ObjectNode push(Path repo, String sha) {
    ObjectNode p = JSON.createObjectNode();
    p.put("ref", "refs/heads/main").put("before", "0".repeat(40)).put("after", sha);
    p.set("repository", repository(repo));
    p.putObject("pusher").put("name", "faults");
    p.putObject("sender").put("login", "faults");
    p.putObject("head_commit").put("id", sha).put("message", "a commit");
    return p;
  }
}

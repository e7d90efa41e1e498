package dev.slipway.cli.demo;

import static dev.slipway.cli.output.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.cli.CliException;
import dev.slipway.cli.Main;
import dev.slipway.cli.api.ApiCommand;
import dev.slipway.cli.api.PipelineCommands;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.http.ApiClient;
import dev.slipway.cli.http.ApiException;
import dev.slipway.cli.http.ServiceUnreachableException;
import dev.slipway.cli.output.Statuses;
import dev.slipway.cli.up.BackgroundUp;
import dev.slipway.cli.up.Checkout;
import dev.slipway.cli.up.RunFiles;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.promotion.PromotionStatus;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.events.release.ReleaseStatus;
import dev.slipway.events.testrun.TestRunStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slipway demo}: the whole Heroku Flow on a running {@code slipway up}, from a git
 * repository it creates to a production release, checking that every URL answers.
 *
 * <p>Over 500 lines because it is one script of steps that a newcomer reads top to bottom.
 */
@Command(
    name = "demo",
    description =
        "Walk through the whole flow: push, build, tests, staging, review app, promotion to"
            + " production. Starts the platform (`slipway up`, in the background) if none runs"
            + " for the data directory, and leaves it running.")
public class DemoCommand extends ApiCommand {

  static final String ZEROS = "0000000000000000000000000000000000000000";

  @Option(names = "--example", paramLabel = "DIR", description = "default: examples/nodejs-web")
  Path example;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "per step (default 600)")
  int timeoutSeconds = 600;

  @Option(
      names = "--ports",
      paramLabel = "BASE",
      description = "When the demo starts the platform: its base port (see `slipway up --help`).")
  Integer basePort;

  @Option(
      names = "--stop",
      description = "Stop the platform after the demo if the demo started it.")
  boolean stop;

  private final HttpClient web =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int stepNumber;

  @Override
  protected void run() {
    Path dir = dataDirectory();
    boolean started = false;
    if (!remote() && new RunFiles(dir).up().isEmpty()) {
      step(
          "starting the platform (slipway up --data-dir " + dir + ")",
          () -> {
            long begin = System.nanoTime();
            BackgroundUp.start(dir, basePort, Duration.ofSeconds(timeoutSeconds), out());
            return "ready in " + Duration.ofNanos(System.nanoTime() - begin).toSeconds() + " s";
          });
      started = true;
    }
    try {
      walkThrough();
    } finally {
      if (started && stop) {
        println("");
        Main.commandLine().execute("down", "--data-dir", dir.toString());
      } else if (started) {
        println("");
        println("The platform keeps running: stop it with ./slipway down --data-dir " + dir);
      }
    }
  }

  private void walkThrough() {
    String name = "demo-" + HexFormat.of().formatHex(randomBytes(2));
    String secret = HexFormat.of().formatHex(randomBytes(16));
    String staging = name + "-staging";
    String production = name + "-prod";
    Path repoDir = api().endpoints().dataDir().resolve("demo").resolve(name);

    step(
        "checking that slipway is up",
        () -> {
          for (Service s : Service.values()) {
            api().text(s, "/q/health/ready");
          }
          return "all four services are ready";
        });
    DemoRepository repo =
        step(
            "creating a git repository from the example app",
            () -> {
              Path source =
                  example != null ? example : Checkout.locate(null).resolve("examples/nodejs-web");
              return DemoRepository.create(source, repoDir);
            });
    println("    " + repo.dir() + " @ " + repo.head().substring(0, 7));
    JsonNode pipeline =
        step(
            "creating pipeline "
                + name
                + " (staging "
                + staging
                + ", production "
                + production
                + ")",
            () ->
                api()
                    .post(
                        Service.PROMOTION,
                        "/pipelines",
                        pipelineBody(name, repo, secret, staging, production)));
    String pipelineId = text(pipeline, "id");
    step(
        "waiting until build-service knows the pipeline",
        () ->
            poll(
                () -> {
                  HttpResponse<String> r = webhook(pipelineId, "ping", pingPayload(repo), secret);
                  // 404 until the pipeline's event reached Kafka, 503 while build-service reads it.
                  if (r.statusCode() == 404 || r.statusCode() == 503) {
                    return Optional.empty();
                  }
                  if (r.statusCode() / 100 != 2) {
                    throw new CliException(
                        "build-service answered " + r.statusCode() + ": " + r.body());
                  }
                  return Optional.of("webhook accepted (" + r.statusCode() + ")");
                }));

    String buildId =
        step(
            "pushing " + repo.head().substring(0, 7) + " to main (signed GitHub push webhook)",
            () -> {
              HttpResponse<String> r =
                  deliver(pipelineId, "push", pushPayload(repo, repo.head()), secret);
              JsonNode answer = readJson(r.body());
              if (r.statusCode() != 202 || !answer.hasNonNull("build_id")) {
                throw new CliException(
                    "build-service answered " + r.statusCode() + ": " + r.body());
              }
              return text(answer, "build_id");
            });
    JsonNode build = followBuild(buildId);
    String digest = text(build.path("artifact"), "digest");
    println("    artifact " + digest);
    followTests(pipelineId, buildId);
    String stagingUrl = awaitRelease(staging, digest, "Hello");

    String prSha =
        step("committing a change on branch demo-change", () -> repo.commitChange("demo-change"));
    step(
        "opening pull request #1 (pull_request webhook)",
        () ->
            accepted(
                deliver(
                    pipelineId,
                    "pull_request",
                    pullRequestPayload(repo, "opened", prSha),
                    secret)));
    String reviewUrl =
        step(
            "waiting for the review app",
            () ->
                poll(
                    () -> {
                      for (JsonNode app :
                          api().get(Service.DEPLOY, "/pipelines/" + pipelineId + "/review-apps")) {
                        if (app.path("pr_number").asInt() == 1 && app.hasNonNull("url")) {
                          return answers(text(app, "url"), DemoRepository.PR_GREETING)
                              .map(x -> text(app, "url"));
                        }
                      }
                      return Optional.empty();
                    }));
    println("    URL answered: " + reviewUrl + " (shows \"" + DemoRepository.PR_GREETING + "\")");
    step(
        "closing pull request #1",
        () ->
            accepted(
                deliver(
                    pipelineId,
                    "pull_request",
                    pullRequestPayload(repo, "closed", prSha),
                    secret)));
    step(
        "waiting until the review app is gone",
        () ->
            poll(
                () -> {
                  for (JsonNode app :
                      api().get(Service.DEPLOY, "/pipelines/" + pipelineId + "/review-apps")) {
                    if (app.path("pr_number").asInt() == 1
                        && !"deleted".equals(text(app, "status"))) {
                      return Optional.empty();
                    }
                  }
                  return answers(reviewUrl, DemoRepository.PR_GREETING).isPresent()
                      ? Optional.empty()
                      : Optional.of("gone");
                }));

    JsonNode promotion =
        step(
            "promoting " + staging + " to " + production,
            () -> {
              ObjectNode body = ApiClient.JSON.createObjectNode();
              body.putObject("source").put("app", staging);
              JsonNode created =
                  poll(
                      () ->
                          Optional.of(
                              api()
                                  .post(
                                      Service.PROMOTION,
                                      "/pipelines/" + pipelineId + "/promotions",
                                      body)));
              JsonNode done =
                  PipelineCommands.await(
                      api(), text(created, "id"), Duration.ofSeconds(timeoutSeconds));
              if (!Statuses.is(done, PromotionStatus.COMPLETED)) {
                throw new CliException(
                    "promotion still " + text(done, "status") + ": " + done.path("gates"));
              }
              for (JsonNode t : done.path("targets")) {
                if (!Statuses.is(t, PromotionTargetStatus.SUCCEEDED)) {
                  throw new CliException(
                      text(t, "app") + " " + text(t, "status") + ": " + text(t, "error"));
                }
              }
              return done;
            });
    println(
        "    promoted artifact "
            + text(promotion, "artifact_digest")
            + " (staging ran "
            + digest
            + ")");
    if (!digest.equals(text(promotion, "artifact_digest"))) {
      throw new CliException(
          "step promotion failed: it shipped another artifact than staging runs");
    }
    String productionUrl = awaitRelease(production, digest, "Hello");
    println("");
    println("Demo complete: every step happened.");
    println("  staging     " + stagingUrl);
    println("  review app  " + reviewUrl + " (pull request #1; destroyed when it closed)");
    println("  production  " + productionUrl);
    println("  pipeline    slipway pipelines:info " + name);
  }

  private JsonNode followBuild(String buildId) {
    println(++stepNumber + ". building (build " + buildId + ")");
    try {
      api()
          .follow(
              Service.BUILD, "/builds/" + buildId + "/log?follow=true", l -> println("    | " + l));
    } catch (CliException e) {
      println("    (the build log stopped: " + e.getMessage() + ")");
    }
    JsonNode build =
        poll(
            () -> {
              JsonNode b = api().get(Service.BUILD, "/builds/" + buildId);
              return Statuses.of(b, BuildStatus.class).map(BuildStatus::isTerminal).orElse(false)
                  ? Optional.of(b)
                  : Optional.empty();
            });
    if (!Statuses.is(build, BuildStatus.SUCCEEDED)) {
      throw new CliException(
          "step build failed: build " + text(build, "status") + ": " + text(build, "error"));
    }
    println("    build succeeded");
    return build;
  }

  private void followTests(String pipelineId, String buildId) {
    println(++stepNumber + ". running the tests (Heroku CI)");
    JsonNode run =
        poll(
            () -> {
              for (JsonNode r :
                  api().get(Service.TEST, "/pipelines/" + pipelineId + "/test-runs")) {
                if (buildId.equals(text(r, "build_id"))) {
                  return Optional.of(r);
                }
              }
              return Optional.empty();
            });
    String runId = text(run, "id");
    poll(
        () -> {
          JsonNode r = api().get(Service.TEST, "/test-runs/" + runId);
          return Statuses.of(r, TestRunStatus.class)
                  .map(s -> s.isTerminal() || s == TestRunStatus.RUNNING)
                  .orElse(false)
              ? Optional.of(r)
              : Optional.empty();
        });
    try {
      api()
          .follow(
              Service.TEST,
              "/test-runs/" + runId + "/nodes/0/output?follow=true",
              l -> println("    | " + l));
    } catch (CliException e) {
      println("    (no node output: " + e.getMessage() + ")");
    }
    JsonNode done =
        poll(
            () -> {
              JsonNode r = api().get(Service.TEST, "/test-runs/" + runId);
              return Statuses.of(r, TestRunStatus.class)
                      .map(TestRunStatus::isTerminal)
                      .orElse(false)
                  ? Optional.of(r)
                  : Optional.empty();
            });
    JsonNode c = done.path("counts");
    println(
        "    test run #"
            + done.path("number").asInt()
            + " "
            + text(done, "status")
            + ": "
            + c.path("passed").asInt()
            + " passed, "
            + c.path("failed").asInt()
            + " failed, "
            + c.path("skipped").asInt()
            + " skipped");
    if (!Statuses.is(done, TestRunStatus.SUCCEEDED)) {
      throw new CliException("step tests failed: " + text(done, "message"));
    }
  }

  /** Waits for the app's release of {@code digest}, then for its URL to answer; answers the URL. */
  private String awaitRelease(String app, String digest, String expected) {
    return step(
        "waiting for "
            + app
            + " to release "
            + digest.substring(0, Math.min(19, digest.length()))
            + " and answer",
        () -> {
          JsonNode release =
              poll(
                  () -> {
                    for (JsonNode r : api().get(Service.DEPLOY, "/apps/" + app + "/releases")) {
                      if (digest.equals(text(r, "artifact_digest"))) {
                        if (Statuses.is(r, ReleaseStatus.FAILED)) {
                          throw new CliException(
                              "release v"
                                  + r.path("version").asInt()
                                  + " failed: "
                                  + text(r, "error"));
                        }
                        if (Statuses.is(r, ReleaseStatus.SUCCEEDED)) {
                          return Optional.of(r);
                        }
                      }
                    }
                    return Optional.empty();
                  });
          String url =
              poll(
                  () ->
                      Optional.ofNullable(text(api().get(Service.DEPLOY, "/apps/" + app), "url")));
          poll(() -> answers(url, expected));
          println("    release v" + release.path("version").asInt() + " of " + app + " succeeded");
          println("    URL answered: " + url);
          return url;
        });
  }

  /** The body when {@code url} answers 200 with {@code expected} in it. */
  private Optional<String> answers(String url, String expected) {
    try {
      HttpResponse<String> r =
          web.send(request(URI.create(url)), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains(expected)
          ? Optional.of(r.body())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /**
   * A GET of {@code url}; {@code <app>.localhost} names are sent to the loopback router with the
   * Host header, since the JVM's resolver, unlike browsers and curl, does not map them there.
   */
  static HttpRequest request(URI url) {
    String host = url.getHost();
    if (host != null && host.endsWith(".localhost")) {
      URI loopback =
          URI.create(
              "http://127.0.0.1:"
                  + url.getPort()
                  + (url.getRawPath().isEmpty() ? "/" : url.getRawPath()));
      return HttpRequest.newBuilder(loopback)
          .timeout(Duration.ofSeconds(5))
          .header("Host", host + ":" + url.getPort())
          .build();
    }
    return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build();
  }

  private <T> T step(String title, Supplier<T> action) {
    int n = ++stepNumber;
    println(n + ". " + title);
    try {
      return action.get();
    } catch (CliException e) {
      throw new CliException("step " + n + " (" + title + ") failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CliException("step " + n + " (" + title + ") failed: " + e, e);
    }
  }

  private <T> T poll(Supplier<Optional<T>> check) {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    String lastRefusal = null;
    while (true) {
      Optional<T> v;
      try {
        v = check.get();
      } catch (ApiException e) {
        // 404 while an event is still on its way to the service that will create the thing, 503
        // while that service catches up after a start.
        if (e.status() != 404 && e.status() != 503) {
          throw e;
        }
        lastRefusal = e.getMessage();
        v = Optional.empty();
      } catch (ServiceUnreachableException e) {
        // A service restarting (slipway up restarts a crashed one): the request never reached it.
        lastRefusal = e.getMessage();
        v = Optional.empty();
      }
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > deadline) {
        throw new CliException(
            "gave up after "
                + timeoutSeconds
                + "s"
                + (lastRefusal == null ? "" : " (last answer: " + lastRefusal + ")"));
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted");
      }
    }
  }

  private ObjectNode pipelineBody(
      String name, DemoRepository repo, String secret, String staging, String production) {
    ObjectNode body = ApiClient.JSON.createObjectNode();
    body.put("name", name)
        .put("repository_url", repo.dir().toString())
        .put("forge", "github")
        .put("branch", "main")
        .put("webhook_secret", secret);
    var couplings = body.putArray("couplings");
    couplings.addObject().put("stage", "staging").put("app_name", staging);
    couplings.addObject().put("stage", "production").put("app_name", production);
    body.putObject("review_apps").put("enabled", true);
    return body;
  }

  /**
   * Delivers a webhook, again while build-service is restarting (nothing reached it) or answers 503
   * (it is catching up); answers its first other answer.
   */
  private HttpResponse<String> deliver(
      String pipelineId, String event, ObjectNode payload, String secret) {
    return poll(
        () -> {
          HttpResponse<String> r = webhook(pipelineId, event, payload, secret);
          return r.statusCode() == 503 ? Optional.empty() : Optional.of(r);
        });
  }

  private static int accepted(HttpResponse<String> r) {
    if (r.statusCode() / 100 != 2) {
      throw new CliException("build-service answered " + r.statusCode() + ": " + r.body());
    }
    return r.statusCode();
  }

  private HttpResponse<String> webhook(
      String pipelineId, String event, ObjectNode payload, String secret) {
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    return api()
        .postRaw(
            URI.create(api().endpoints().url(Service.BUILD) + "/webhooks/github/" + pipelineId),
            body,
            "X-GitHub-Event",
            event,
            "X-GitHub-Delivery",
            UUID.randomUUID().toString(),
            "X-Hub-Signature-256",
            signature(body, secret));
  }

  /** GitHub's signature: HMAC-SHA256 of the body with the webhook secret, in hex. */
  static String signature(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode repository(DemoRepository repo) {
    ObjectNode r = ApiClient.JSON.createObjectNode();
    String url = repo.dir().toString();
    for (String f : new String[] {"html_url", "clone_url", "url", "ssh_url", "git_url"}) {
      r.put(f, url);
    }
    r.put("full_name", "demo/app").put("name", "app");
    return r;
  }

  private static ObjectNode pingPayload(DemoRepository repo) {
    ObjectNode p = ApiClient.JSON.createObjectNode();
    p.put("zen", "Keep it logically awesome.");
    p.set("repository", repository(repo));
    return p;
  }

  private static ObjectNode pushPayload(DemoRepository repo, String sha) {
    ObjectNode p = ApiClient.JSON.createObjectNode();
    p.put("ref", "refs/heads/main").put("before", ZEROS).put("after", sha);
    p.put("created", true).put("deleted", false).put("forced", false);
    p.set("repository", repository(repo));
    p.putObject("pusher").put("name", "slipway-demo");
    p.putObject("sender").put("login", "slipway-demo");
    p.putObject("head_commit").put("id", sha).put("message", "Initial commit");
    return p;
  }

  private static ObjectNode pullRequestPayload(DemoRepository repo, String action, String headSha) {
    ObjectNode p = ApiClient.JSON.createObjectNode();
    p.put("action", action).put("number", 1);
    ObjectNode pr = p.putObject("pull_request");
    pr.put("number", 1)
        .put("title", "Greet from pull request #1")
        .put("html_url", "https://forge.example/demo/app/pull/1")
        .put("state", "closed".equals(action) ? "closed" : "open")
        .put("merged", false);
    pr.putObject("user").put("login", "slipway-demo");
    ObjectNode head = pr.putObject("head").put("ref", "demo-change").put("sha", headSha);
    head.set("repo", repository(repo));
    ObjectNode base = pr.putObject("base").put("ref", "main").put("sha", repo.head());
    base.set("repo", repository(repo));
    p.set("repository", repository(repo));
    p.putObject("sender").put("login", "slipway-demo");
    return p;
  }

  private static JsonNode readJson(String body) {
    try {
      return ApiClient.JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return ApiClient.JSON.createObjectNode();
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}

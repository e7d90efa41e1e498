package dev.slipway.build;

import static dev.slipway.build.Forges.github;
import static dev.slipway.build.Forges.githubPush;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.Digest;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.Topic;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.build.BuiltArtifact;
import dev.slipway.testkit.GitFixture;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * From a signed push of a real repository to an artifact that runs: the example apps build with the
 * built-in buildpacks, a compile error fails with the compiler's words, and a cancelled build
 * leaves no process behind.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class BuildFlowTest {

  private static final String SECRET = "flow-webhook-secret";
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  @TestHTTPResource("/")
  URI base;

  @Test
  void signedPushOfTheMavenExampleBuildsASlugThatServesHttpAnnouncedAsPackagedAndPublished()
      throws Exception {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("java-maven-web"))) {
      String sha = repo.commitAndPush("maven example");
      String pipeline = Forges.registerPipeline("maven-" + suffix(), repo.url(), "main", SECRET);
      String buildId = push(pipeline, repo, sha);
      CompletableFuture<List<String>> followed = follow(buildId);

      JsonPath build = awaitEnd(buildId);

      assertEquals("succeeded", build.getString("status"), () -> log(buildId));
      assertEquals(sha, build.getString("commit_sha"));
      assertEquals(
          "java -jar target/java-maven-web.jar", build.getString("artifact.process_types.web"));
      assertEquals(List.of("maven"), build.getList("artifact.buildpacks"));
      List<CloudEvent> events = buildEvents(pipeline, 5);
      assertEquals(
          List.of(
              EventType.BUILD_QUEUED.type(),
              EventType.BUILD_STARTED.type(),
              EventType.ARTIFACT_PACKAGED.type(),
              EventType.ARTIFACT_PUBLISHED.type(),
              EventType.BUILD_FINISHED.type()),
          events.stream().map(CloudEvent::type).toList());
      events.forEach(SchemaValidation::assertValid);
      BuildFinished finished = finishedEvent(pipeline, 5);
      assertEquals(BuildStatus.SUCCEEDED, finished.status());
      String packageUrl =
          "pkg:oci/" + pipeline + "@" + finished.artifactDigest().replace(":", "%3A");
      assertEquals(packageUrl, events.get(2).subject(), "packaged: the artifact's package URL");
      assertEquals(packageUrl, events.get(3).subject(), "published: the same artifact");
      BuiltArtifact published = EventCodec.decode(events.get(3), BuiltArtifact.class);
      assertEquals(finished.artifact().uri(), published.uri());
      assertEquals(sha, published.commitSha());
      assertEquals(build.getString("artifact.digest"), finished.artifactDigest());
      assertEquals(build.getString("source_bundle.digest"), finished.sourceBundleDigest());
      assertTrue(finished.artifact().appJson().contains("\"name\": \"java-maven-web\""));
      assertAnswersHttp(finished, Map.of(), "Hello from Slipway");
      List<String> live = followed.get();
      assertTrue(live.stream().anyMatch(l -> l.contains("Build succeeded")), live::toString);
      String log = log(buildId);
      assertTrue(log.contains("BUILD SUCCESS"), log);
      assertFalse(log.contains("tok-3f9a1c7e55b2"), "a secret config var leaked into the log");
    }
  }

  @Test
  void signedPushOfTheNodeExampleBuildsASlugThatServesHttp() throws Exception {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      String sha = repo.commitAndPush("node example");
      String pipeline = Forges.registerPipeline("node-" + suffix(), repo.url(), "main", SECRET);
      String buildId = push(pipeline, repo, sha);

      JsonPath build = awaitEnd(buildId);

      assertEquals("succeeded", build.getString("status"), () -> log(buildId));
      assertEquals(List.of("nodejs"), build.getList("artifact.buildpacks"));
      assertEquals("node server.js", build.getString("artifact.process_types.web"));
      String log = log(buildId);
      assertEquals(1, log.split("-----> Node.js app detected", -1).length - 1, log);
      assertAnswersHttp(
          finishedEvent(pipeline, 5), Map.of("GREETING", "Hi from node"), "Hi from node");
    }
  }

  /**
   * Reproducible artifacts: one commit built twice, in two pipelines (so neither reuses the other's
   * build, and each has its own build cache, workspace path and clock), gives one digest.
   */
  @Test
  void buildingTheSameCommitTwiceGivesTheSameArtifactDigest() {
    for (String example : List.of("nodejs-web", "java-maven-web")) {
      try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve(example))) {
        String sha = repo.commitAndPush("build me twice");
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          String pipeline =
              Forges.registerPipeline("twice-" + i + "-" + suffix(), repo.url(), "main", SECRET);
          String buildId = push(pipeline, repo, sha);
          JsonPath build = awaitEnd(buildId);
          assertEquals("succeeded", build.getString("status"), () -> log(buildId));
          digests.add(build.getString("artifact.digest"));
        }

        assertEquals(digests.get(0), digests.get(1), example + ": same commit, same artifact");
      }
    }
  }

  /**
   * A push of a commit the pipeline already built (a redelivery under a new id with a new body)
   * records a build reusing the artifact, announced like any build, without building; a manual
   * build of the commit does build, and gives the same digest.
   */
  @Test
  void pushOfAnAlreadyBuiltCommitReusesItsArtifactAndAManualBuildBuildsAgain() {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      String sha = repo.commitAndPush("built once");
      String pipeline = Forges.registerPipeline("reuse-" + suffix(), repo.url(), "main", SECRET);
      String firstId = push(pipeline, repo, sha);
      JsonPath first = awaitEnd(firstId);
      assertEquals("succeeded", first.getString("status"), () -> log(firstId));

      JsonPath answer =
          github(
                  pipeline,
                  "push",
                  githubPush(repo.url(), "refs/heads/main", "1".repeat(40), sha),
                  SECRET,
                  UUID.randomUUID().toString())
              .then()
              .statusCode(202)
              .body("result", equalTo("build_reused"))
              .extract()
              .jsonPath();

      String reusedId = answer.getString("build_id");
      assertNotEquals(firstId, reusedId);
      JsonPath reused = admin().get("/builds/" + reusedId).then().extract().jsonPath();
      assertEquals("succeeded", reused.getString("status"));
      assertEquals(firstId, reused.getString("reused_from"));
      assertEquals(first.getString("artifact.digest"), reused.getString("artifact.digest"));
      assertEquals(
          first.getString("source_bundle.digest"), reused.getString("source_bundle.digest"));
      assertTrue(log(reusedId).contains("already built by build " + firstId), log(reusedId));
      List<CloudEvent> events = buildEvents(pipeline, 7);
      assertEquals(
          List.of(EventType.BUILD_QUEUED.type(), EventType.BUILD_FINISHED.type()),
          events.subList(5, 7).stream().map(CloudEvent::type).toList(),
          "announced as queued and finished, never started nor packaged again");
      events.forEach(SchemaValidation::assertValid);
      BuildFinished finished = EventCodec.decode(events.get(6), BuildFinished.class);
      assertEquals(reusedId, finished.buildId());
      assertEquals(firstId, finished.reusedFrom());
      assertEquals(first.getString("artifact.digest"), finished.artifactDigest());
      assertNotNull(finished.artifact());
      assertTrue(finished.artifact().appJson().contains("nodejs-web"), finished::toString);

      String manualId =
          admin()
              .contentType("application/json")
              .body(Map.of("pipeline", pipeline, "ref", sha))
              .post("/builds")
              .then()
              .statusCode(202)
              .extract()
              .path("id");
      JsonPath manual = awaitEnd(manualId);
      assertEquals("succeeded", manual.getString("status"), () -> log(manualId));
      assertNull(manual.getString("reused_from"));
      assertTrue(log(manualId).contains("Compressing"), "built, not reused: " + log(manualId));
      assertEquals(first.getString("artifact.digest"), manual.getString("artifact.digest"));
    }
  }

  @Test
  void compileErrorFailsTheBuildWithTheCompilersLineInTheLog() {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("java-maven-web"))) {
      Path source = repo.workTree().resolve("src/main/java/dev/slipway/examples/web/Greeting.java");
      repo.write(
          repo.workTree().relativize(source).toString(), readString(source).replaceFirst(";", ""));
      String sha = repo.commitAndPush("broken");
      String pipeline = Forges.registerPipeline("broken-" + suffix(), repo.url(), "main", SECRET);
      String buildId = push(pipeline, repo, sha);

      JsonPath build = awaitEnd(buildId);

      assertEquals("failed", build.getString("status"));
      assertTrue(build.getString("error").contains("compile failed"), build.getString("error"));
      assertTrue(log(buildId).contains("Greeting.java:["), log(buildId));
      assertEquals(BuildStatus.FAILED, finishedEvent(pipeline, 3).status());
    }
  }

  @Test
  void repositoryWithSubmodulesFailsNamingTheFile() {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      repo.write(".gitmodules", "[submodule \"lib\"]\n\tpath = lib\n\turl = ../lib.git\n");
      String sha = repo.commitAndPush("a submodule");
      String pipeline = Forges.registerPipeline("submod-" + suffix(), repo.url(), "main", SECRET);

      JsonPath build = awaitEnd(push(pipeline, repo, sha));

      assertEquals("failed", build.getString("status"));
      assertTrue(build.getString("error").startsWith(".gitmodules: "), build.getString("error"));
    }
  }

  @Test
  void symlinkedAppJsonFailsTheBuildAsTheUsersFaultNotOurs() throws Exception {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      Path appJson = repo.workTree().resolve("app.json");
      Files.deleteIfExists(appJson);
      Files.createSymbolicLink(appJson, Path.of("/etc/passwd"));
      String sha = repo.commitAndPush("app.json points outside the repository");
      String pipeline = Forges.registerPipeline("symlink-" + suffix(), repo.url(), "main", SECRET);

      JsonPath build = awaitEnd(push(pipeline, repo, sha));

      assertEquals("failed", build.getString("status"), build.getString("error"));
      assertTrue(build.getString("error").contains("app.json"), build.getString("error"));
      assertEquals(BuildStatus.FAILED, finishedEvent(pipeline, 3).status());
    }
  }

  @Test
  void endlessBuildOutputIsTruncatedStopsTheBuildAndFailsIt() {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      repo.write("app.json", "{\"buildpacks\": [{\"url\": \"buildpacks/chatty\"}]}");
      repo.write("buildpacks/chatty/bin/detect", "#!/bin/sh\necho chatty\n");
      repo.write("buildpacks/chatty/bin/compile", "#!/bin/sh\necho compiling\nyes\n");
      repo.write("buildpacks/chatty/bin/release", "#!/bin/sh\necho '--- {}'\n");
      for (String script : List.of("detect", "compile", "release")) {
        repo.workTree().resolve("buildpacks/chatty/bin/" + script).toFile().setExecutable(true);
      }
      String sha = repo.commitAndPush("chatty buildpack");
      String pipeline = Forges.registerPipeline("chatty-" + suffix(), repo.url(), "main", SECRET);
      String buildId = push(pipeline, repo, sha);

      // yes never ends by itself: the build ending at all means the cap stopped it.
      JsonPath build = awaitEnd(buildId);

      assertEquals("failed", build.getString("status"), build::prettify);
      assertEquals(
          "output over 100000 lines: the build was stopped",
          build.getString("error"),
          build::prettify);
      List<String> lines = log(buildId).lines().toList();
      String notice = "-----> output truncated: over 100000 lines; the rest was discarded";
      assertEquals(notice, lines.get(lines.size() - 1));
      assertTrue(lines.size() <= 100_001, "lines kept: " + lines.size());
      given().get("/q/health/ready").then().statusCode(200);
    }
  }

  @Test
  void buildpackReleaseYamlGivesTheProcessTypesAndItsStderrIsNotReadAsYaml() throws Exception {
    JsonPath build =
        buildWithRelease(
            "tidy",
            "#!/bin/sh\necho 'warning: [not yaml' >&2\n"
                + "printf -- '---\\ndefault_process_types:\\n  web: ./serve --port $PORT\\n'\n");

    assertEquals("succeeded", build.getString("status"), build::prettify);
    assertEquals(
        Map.of("web", "./serve --port $PORT"),
        build.getMap("artifact.process_types"),
        build::prettify);
  }

  @Test
  void buildpackReleaseOutputThatIsNotYamlFailsTheBuildNamingTheField() throws Exception {
    JsonPath build = buildWithRelease("broken", "#!/bin/sh\necho 'default_process_types: [web'\n");

    assertEquals("failed", build.getString("status"), build::prettify);
    assertTrue(
        build
            .getString("error")
            .contains("bin/release printed no valid YAML default_process_types"),
        build::prettify);
  }

  private JsonPath buildWithRelease(String name, String release) throws Exception {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      // Without a Procfile the process types are the buildpack's.
      Files.delete(repo.workTree().resolve("Procfile"));
      repo.write("app.json", "{\"buildpacks\": [{\"url\": \"buildpacks/" + name + "\"}]}");
      repo.write("buildpacks/" + name + "/bin/detect", "#!/bin/sh\necho " + name + "\n");
      repo.write("buildpacks/" + name + "/bin/compile", "#!/bin/sh\necho compiled\n");
      repo.write("buildpacks/" + name + "/bin/release", release);
      for (String script : List.of("detect", "compile", "release")) {
        repo.workTree()
            .resolve("buildpacks/" + name + "/bin/" + script)
            .toFile()
            .setExecutable(true);
      }
      String sha = repo.commitAndPush(name + " buildpack");
      String pipeline = Forges.registerPipeline(name + "-" + suffix(), repo.url(), "main", SECRET);
      return awaitEnd(push(pipeline, repo, sha));
    }
  }

  @Test
  void cancellingARunningBuildStopsItsWholeProcessTree() {
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      String marker = "slipway-sleeper-" + suffix();
      repo.write("app.json", "{\"buildpacks\": [{\"url\": \"buildpacks/slow\"}]}");
      repo.write("buildpacks/slow/bin/detect", "#!/bin/sh\necho slow\n");
      // The sleeper's pid inside the sandbox means nothing outside: it is found by its argument.
      repo.write(
          "buildpacks/slow/bin/compile",
          "#!/usr/bin/env bash\nbash -c 'sleep 600; true' "
              + marker
              + " &\necho \"sleeper started\"\n"
              + "echo \"token $(cat \"$3/DEPLOY_API_TOKEN\")\"\nwait\n");
      repo.write("buildpacks/slow/bin/release", "#!/bin/sh\necho '--- {}'\n");
      for (String script : List.of("detect", "compile", "release")) {
        repo.workTree().resolve("buildpacks/slow/bin/" + script).toFile().setExecutable(true);
      }
      String sha = repo.commitAndPush("slow buildpack");
      String pipeline = Forges.registerPipeline("slow-" + suffix(), repo.url(), "main", SECRET);
      String buildId = push(pipeline, repo, sha);
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> log(buildId).contains("sleeper started") && running(marker) > 0);

      admin().post("/builds/" + buildId + "/cancel").then().statusCode(202);

      JsonPath build = awaitEnd(buildId);
      assertEquals("cancelled", build.getString("status"));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> running(marker) == 0);
      assertTrue(log(buildId).contains("token [REDACTED]"), log(buildId));
      assertEquals(BuildStatus.CANCELLED, finishedEvent(pipeline, 3).status());
    }
  }

  /**
   * A stranger's fork pull request brings its own buildpack that goes after the platform's secrets,
   * other builds' files and the main branch's cache, then tries to fill the disk; the sandbox stops
   * every attempt (the last one by killing the build at the disk quota) and the service keeps
   * answering.
   */
  @Test
  void hostileForkBuildpackCannotReachThePlatformsSecretsFilesOrCache() throws Exception {
    Path data = SlipwayInfrastructure.dataDir();
    String secret = "admin-token=" + UUID.randomUUID();
    Path config = data.resolve("config.properties");
    Files.writeString(config, secret);
    try (GitFixture repo = GitFixture.withApp(EXAMPLES.resolve("nodejs-web"))) {
      String pipeline = Forges.registerPipeline("hostile-" + suffix(), repo.url(), "main", SECRET);
      Path mainCache =
          Files.createDirectories(data.resolve("build-service/cache").resolve(pipeline));
      Files.writeString(mainCache.resolve("main-branch-marker"), "trusted");
      repo.write("app.json", "{\"buildpacks\": [{\"url\": \"buildpacks/hostile\"}]}");
      repo.write("buildpacks/hostile/bin/detect", "#!/bin/sh\necho hostile\n");
      repo.write(
          "buildpacks/hostile/bin/compile",
          String.join(
              "\n",
              "#!/usr/bin/env bash",
              "DATA='" + data + "'",
              "echo \"uid $(id -u)\"",
              "echo \"pids $(ls /proc | grep -c '^[0-9]*$')\"",
              "for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do",
              "  tr '\\0' ' ' < \"$f\" 2>/dev/null; echo",
              "done",
              "cat \"$DATA/config.properties\"",
              "ls -A \"$DATA\" \"$DATA/artifacts\" \"$DATA/build-service/cache\"",
              "echo planted > \"$DATA/planted\" || echo 'write refused'",
              "ls -A \"$2\" | sed 's/^/cache entry /'",
              "echo poison > \"$2/poison\"",
              "echo \"env dir [$(ls -A \"$3\" | tr '\\n' ' ')]\"",
              "echo hostile-done",
              "i=0; while truncate -s 8M \"$1/fill-$i\"; do i=$((i+1)); done",
              "echo \"disk survived $i\"",
              ""));
      repo.write("buildpacks/hostile/bin/release", "#!/bin/sh\necho '--- {}'\n");
      for (String script : List.of("detect", "compile", "release")) {
        repo.workTree().resolve("buildpacks/hostile/bin/" + script).toFile().setExecutable(true);
      }
      repo.branch("feature/x");
      String sha = repo.commitAndPush("hostile buildpack");
      String buildId =
          github(
                  pipeline,
                  "pull_request",
                  Forges.githubPullRequest("opened", repo.url(), 7, "feature/x", sha, true),
                  SECRET,
                  UUID.randomUUID().toString())
              .then()
              .statusCode(202)
              .body("result", equalTo("build_queued"))
              .extract()
              .path("build_id");

      JsonPath build = awaitEnd(buildId);
      String log = log(buildId);

      assertEquals("failed", build.getString("status"), log);
      assertTrue(log.contains("hostile-done"), log);
      assertTrue(log.contains("killed: disk quota (1024 MB)"), log);
      assertFalse(log.contains("disk survived"), log);
      assertFalse(log.contains(secret), "config.properties unreadable: " + log);
      assertTrue(log.contains(config + ": No such file or directory"), log);
      assertFalse(log.contains(SlipwayInfrastructure.ADMIN_TOKEN), "no argv/env leaks: " + log);
      assertFalse(log.contains(SlipwayInfrastructure.SECRETS_KEY), "no argv/env leaks: " + log);
      assertTrue(log.contains("write refused"), log);
      assertFalse(Files.exists(data.resolve("planted")));
      Matcher pids = Pattern.compile("pids (\\d+)").matcher(log);
      assertTrue(pids.find() && Integer.parseInt(pids.group(1)) <= 5, "sees no other process");
      assertFalse(log.contains("main-branch-marker"), "the main branch's cache is not the fork's");
      assertFalse(Files.exists(mainCache.resolve("poison")), "the fork cannot poison it");
      assertTrue(log.contains("env dir []"), "a fork gets no config vars: " + log);
      if (isRoot()) {
        assertTrue(log.contains("uid 65534"), log);
      }
      given().get("/q/health/ready").then().statusCode(200);
    } finally {
      Files.deleteIfExists(config);
    }
  }

  private static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .count();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private String push(String pipeline, GitFixture repo, String sha) {
    return github(
            pipeline,
            "push",
            githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha),
            SECRET,
            UUID.randomUUID().toString())
        .then()
        .statusCode(202)
        .body("result", equalTo("build_queued"))
        .extract()
        .path("build_id");
  }

  private static JsonPath awaitEnd(String buildId) {
    return Awaitility.await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> admin().get("/builds/" + buildId).then().statusCode(200).extract().jsonPath(),
            b -> !List.of("queued", "running").contains(b.getString("status")));
  }

  private static List<CloudEvent> buildEvents(String pipeline, int count) {
    return TopicProbe.findAll(
            SlipwayInfrastructure.get().bootstrapServers(),
            Topic.BUILDS.topicName(),
            pipeline,
            count,
            Duration.ofSeconds(30))
        .stream()
        .map(TopicProbe::cloudEvent)
        .toList();
  }

  /** The build.finished that ends the pipeline's first {@code count} build events. */
  private static BuildFinished finishedEvent(String pipeline, int count) {
    CloudEvent finished = buildEvents(pipeline, count).get(count - 1);
    assertEquals(EventType.BUILD_FINISHED.type(), finished.type());
    SchemaValidation.assertValid(finished);
    return EventCodec.decode(finished, BuildFinished.class);
  }

  /** Unpacks the slug as a runtime would and starts its web process on a free port. */
  private static void assertAnswersHttp(
      BuildFinished finished, Map<String, String> env, String text) throws Exception {
    assertNotNull(finished.artifact(), "a succeeded build carries its artifact");
    Path slug = Path.of(URI.create(finished.artifact().uri()));
    assertEquals(finished.artifactDigest(), Digest.of(slug).toString());
    Path app = Files.createTempDirectory("slug-run");
    Archives.unpack(slug, app, 1L << 30);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder web =
        new ProcessBuilder("sh", "-c", "exec " + finished.artifact().processTypes().get("web"))
            .directory(app.toFile())
            .redirectErrorStream(true)
            .redirectOutput(app.resolve("web.log").toFile());
    web.environment().put("PORT", Integer.toString(port));
    web.environment().putAll(env);
    Process process = web.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      String body =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () ->
                      client
                          .send(
                              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body(),
                  b -> b != null);
      assertTrue(body.contains(text), body);
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  /** Follows the build's log as server-sent events until the stream ends with the build. */
  private CompletableFuture<List<String>> follow(String buildId) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<String> lines = new ArrayList<>();
          try {
            HttpResponse<java.io.InputStream> response =
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(
                                base.resolve("builds/" + buildId + "/log?follow=true"))
                            .header("Authorization", "Bearer " + SlipwayInfrastructure.ADMIN_TOKEN)
                            .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (BufferedReader reader =
                new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
              String line;
              while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                  lines.add(line.substring(5).trim());
                }
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return lines;
        });
  }

  private static String log(String buildId) {
    return admin().get("/builds/" + buildId + "/log").then().statusCode(200).extract().asString();
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

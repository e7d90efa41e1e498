package dev.slipway.deploy;

import static io.restassured.RestAssured.given;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.apps.artifact.StoredArtifact;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventType;
import dev.slipway.events.SecretBox;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.pipeline.Stage;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * What the deploy-service's upstream would send, played by tests: pipelines, slugs of the Node.js
 * example in the shared artifact store, build.finished and test-run events.
 */
final class DeployFixtures {

  static final Path EXAMPLE = Path.of("..", "examples", "nodejs-web").toAbsolutePath().normalize();
  static final Map<String, String> PROCESS_TYPES =
      Map.of("web", "node server.js", "release", "./bin/release-tasks");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private DeployFixtures() {}

  /** A pipeline coupling {@code staging} and {@code production}; returns its id. */
  static String pipeline(String name, String staging, String production, boolean waitForCi) {
    return pipeline(name, staging, production, waitForCi, Map.of());
  }

  static String pipeline(
      String name,
      String staging,
      String production,
      boolean waitForCi,
      Map<String, String> reviewConfig) {
    return pipeline(
        name,
        staging,
        production,
        waitForCi,
        reviewConfig,
        Forge.GITHUB,
        "https://forge.example/acme/" + name + ".git",
        null);
  }

  /** A pipeline of {@code repositoryUrl} on {@code forge} with {@code forgeToken}; its id. */
  static String pipelineOnForge(
      Forge forge,
      String name,
      String staging,
      String production,
      String repositoryUrl,
      String forgeToken) {
    return pipeline(name, staging, production, false, Map.of(), forge, repositoryUrl, forgeToken);
  }

  private static String pipeline(
      String name,
      String staging,
      String production,
      boolean waitForCi,
      Map<String, String> reviewConfig,
      Forge forge,
      String repositoryUrl,
      String forgeToken) {
    String id = UUID.randomUUID().toString();
    SecretBox box = SecretBox.fromBase64Key(SlipwayInfrastructure.SECRETS_KEY);
    TestEvents.publish(
        "urn:slipway:promotion-service",
        EventType.PIPELINE_CREATED,
        new PipelineSnapshot(
            id,
            name,
            repositoryUrl,
            forge,
            "main",
            List.of(
                new PipelineSnapshot.Coupling(Stage.STAGING, staging),
                new PipelineSnapshot.Coupling(Stage.PRODUCTION, production)),
            new PipelineSnapshot.AutoDeploy(true, "main", waitForCi),
            new PipelineSnapshot.ReviewApps(true, false, 5),
            Instant.now(),
            new PipelineSnapshot.Sealed(
                null,
                forgeToken == null
                    ? null
                    : box.seal(forgeToken, id, PipelineSnapshot.Sealed.FORGE_TOKEN),
                null,
                reviewConfig.isEmpty()
                    ? null
                    : box.seal(
                        toJson(reviewConfig), id, PipelineSnapshot.Sealed.REVIEW_CONFIG_VARS))));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin().get("/apps/" + staging).statusCode() == 200);
    return id;
  }

  /** A slug in the shared artifact store, and the app.json it was built with. */
  record Slug(StoredArtifact artifact, String appJson) {}

  /** The Node.js example as a slug whose default greeting is {@code greeting}. */
  static StoredArtifact slug(String greeting) {
    return slug(greeting, null).artifact();
  }

  /**
   * The Node.js example as a slug whose default greeting is {@code greeting}, with {@code appJson}
   * instead of the example's when not null.
   */
  static Slug slug(String greeting, String appJson) {
    return slug(greeting, appJson, java.util.Map.of());
  }

  /**
   * As {@link #slug(String, String)}, with {@code extraFiles} (path to text) written over the app.
   */
  static Slug slug(String greeting, String appJson, java.util.Map<String, String> extraFiles) {
    try {
      Path app = Files.createTempDirectory("node-slug");
      try (Stream<Path> files = Files.walk(EXAMPLE)) {
        for (Path source : (Iterable<Path>) files::iterator) {
          Path target = app.resolve(EXAMPLE.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
      Path appJs = app.resolve("app.js");
      Files.writeString(
          appJs, Files.readString(appJs).replace("'Hello from Slipway'", "'" + greeting + "'"));
      if (appJson != null) {
        Files.writeString(app.resolve("app.json"), appJson);
      }
      for (java.util.Map.Entry<String, String> file : extraFiles.entrySet()) {
        Files.createDirectories(app.resolve(file.getKey()).getParent());
        Files.writeString(app.resolve(file.getKey()), file.getValue());
      }
      Path slug = Files.createTempFile("slug", ".tar.gz");
      Archives.pack(app, slug);
      return new Slug(
          new FileSystemArtifactStore(SlipwayInfrastructure.dataDir().resolve("artifacts"))
              .put(slug),
          Files.readString(app.resolve("app.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A succeeded build of {@code slug} on main; returns the event (to publish again). */
  static CloudEvent build(String pipeline, StoredArtifact slug, String buildId, Integer pr) {
    return build(pipeline, new Slug(slug, null), buildId, pr);
  }

  /** A succeeded build of {@code slug}, of pull request {@code pr} when not null. */
  static CloudEvent build(String pipeline, Slug slug, String buildId, Integer pr) {
    return build(pipeline, slug, buildId, pr, false);
  }

  static CloudEvent build(String pipeline, Slug built, String buildId, Integer pr, boolean fork) {
    return build(pipeline, built, buildId, pr, fork, null);
  }

  /** A succeeded build of the main branch whose push queued it at {@code queuedAt}. */
  static CloudEvent buildQueuedAt(
      String pipeline, StoredArtifact slug, String buildId, Instant queuedAt) {
    return build(pipeline, new Slug(slug, null), buildId, null, false, queuedAt);
  }

  static CloudEvent build(
      String pipeline, Slug built, String buildId, Integer pr, boolean fork, Instant queuedAt) {
    StoredArtifact slug = built.artifact();
    return TestEvents.publish(
        "urn:slipway:build-service",
        EventType.BUILD_FINISHED,
        new BuildFinished(
            pipeline,
            buildId,
            randomSha(),
            pr == null ? "main" : "feature-" + pr,
            pr,
            fork,
            BuildStatus.SUCCEEDED,
            slug.digest().toString(),
            slug.digest().toString(),
            null,
            Instant.now(),
            null,
            new BuildFinished.Artifact(
                slug.uri().toString(),
                slug.size(),
                PROCESS_TYPES,
                "slipway-local",
                List.of("nodejs"),
                built.appJson()),
            queuedAt));
  }

  /** A pull request event of {@code type} (opened: change.created, closed: abandoned …). */
  static void pullRequest(
      EventType type, String pipeline, int number, String branch, boolean fork) {
    TestEvents.publish(
        "urn:slipway:build-service",
        type,
        new PullRequestChange(
            pipeline,
            "https://forge.example/acme/app.git",
            number,
            "Change " + number,
            "https://forge.example/acme/app/pull/" + number,
            branch,
            randomSha(),
            "main",
            "dev",
            fork,
            type == EventType.CHANGE_MERGED));
  }

  static void testRun(String pipeline, String buildId, int number, TestRunStatus status) {
    TestEvents.publish(
        "urn:slipway:test-service",
        EventType.TESTSUITERUN_FINISHED,
        new TestRunFinished(
            pipeline,
            UUID.randomUUID().toString(),
            number,
            buildId,
            randomSha(),
            "main",
            status,
            null));
  }

  /** Waits until the app's release {@code version} ended; returns it. */
  static JsonPath awaitRelease(String app, int version) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              var r = admin().get("/apps/" + app + "/releases/v" + version);
              return r.statusCode() == 200 ? r.jsonPath() : null;
            },
            r -> r != null && !"pending".equals(r.getString("status")));
  }

  /** GET / of the app through the router's path form. */
  static HttpResponse<String> get(String app) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(routerBase() + "apps/" + app + "/"))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static volatile String router;

  /** {@code http://127.0.0.1:<router port>/}, read once from an app's URL. */
  static String routerBase() {
    if (router == null) {
      router = ROUTER.get();
    }
    return router;
  }

  private static final java.util.function.Supplier<String> ROUTER =
      () -> {
        String url =
            Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () ->
                        admin().get("/apps").jsonPath().getList("url", String.class).stream()
                            .filter(u -> u != null)
                            .findFirst()
                            .orElse(null),
                    u -> u != null);
        URI uri = URI.create(url);
        return "http://127.0.0.1:" + uri.getPort() + "/";
      };

  /** Whether Slipway's PostgreSQL has a database of that name (an add-on's). */
  static boolean databaseExists(String name) throws java.sql.SQLException {
    var infra = SlipwayInfrastructure.get();
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        java.sql.PreparedStatement s =
            c.prepareStatement("select 1 from pg_database where datname = ?")) {
      s.setString(1, name);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String randomSha() {
    byte[] b = new byte[20];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String toJson(Map<String, String> map) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

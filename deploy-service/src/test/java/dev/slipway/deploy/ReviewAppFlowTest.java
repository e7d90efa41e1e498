package dev.slipway.deploy;

import static dev.slipway.deploy.DeployFixtures.admin;
import static dev.slipway.deploy.DeployFixtures.build;
import static dev.slipway.deploy.DeployFixtures.databaseExists;
import static dev.slipway.deploy.DeployFixtures.get;
import static dev.slipway.deploy.DeployFixtures.pipeline;
import static dev.slipway.deploy.DeployFixtures.pullRequest;
import static dev.slipway.deploy.DeployFixtures.slug;
import static dev.slipway.deploy.DeployFixtures.suffix;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.deploy.reviewapps.ReviewApps;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.Topic;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestTokens;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Review apps as a Heroku user knows them: a pull request gets its own app with its own config,
 * database and URL; postdeploy runs once, pr-predestroy before it goes; forks wait for an admin;
 * stale ones are reaped.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class ReviewAppFlowTest {

  private static final String APP_JSON_WITH_DATABASE =
      """
      {"name": "review-example",
       "env": {"GREETING": {"value": "Hello from app.json"},
               "SESSION_SECRET": {"generator": "secret"}},
       "addons": ["heroku-postgresql"],
       "scripts": {"postdeploy": "bin/postdeploy", "pr-predestroy": "bin/pr-predestroy"},
       "environments": {"review": {"env": {"GREETING": "Hello from a review app"}}}}
      """;

  @Inject ReviewApps reviewApps;
  @Inject AppRuntime runtime;

  @Test
  void pullRequestGetsAReviewAppThatFollowsItUntilItCloses() throws Exception {
    String name = "rv" + suffix();
    String pipeline =
        pipeline(
            name,
            name + "-staging",
            name + "-prod",
            false,
            Map.of("REVIEW_API_TOKEN", "review-only-secret-value"));
    String app = ReviewApps.appName(name, 7);
    // The scripts run sandboxed, seeing only their slug: what they did shows in the app's log.
    List<String> appLog = new CopyOnWriteArrayList<>();
    AppRuntime.LogSubscription following = runtime.logs(app, 0, true, appLog::add);

    pullRequest(EventType.CHANGE_CREATED, pipeline, 7, "feature/x", false);
    build(pipeline, slug("v1", APP_JSON_WITH_DATABASE), UUID.randomUUID().toString(), 7);

    JsonPath created = awaitStatus(pipeline, 7, "created");
    String body = get(app).body();
    assertTrue(body.startsWith("Hello from a review app (app: " + app + ")"), body);
    assertEquals(1, ran(appLog, "postdeploy ran for"));
    JsonPath config =
        admin().get("/apps/" + app + "/config-vars?reveal=true").then().extract().jsonPath();
    assertEquals("7", config.getString("SLIPWAY_PR_NUMBER"));
    assertEquals("feature/x", config.getString("SLIPWAY_BRANCH"));
    assertEquals(name + "-staging", config.getString("SLIPWAY_PARENT_APP"));
    assertEquals("review-only-secret-value", config.getString("REVIEW_API_TOKEN"));
    String secret = config.getString("SESSION_SECRET");
    assertEquals(64, secret.length());
    String database = databaseOf(config.getString("DATABASE_URL"));
    assertTrue(databaseExists(database));
    admin()
        .get("/apps/" + app + "/config-vars")
        .then()
        .body("REVIEW_API_TOKEN", equalTo("[REDACTED]"))
        .body("DATABASE_URL", equalTo("[REDACTED]"));

    pullRequest(EventType.CHANGE_UPDATED, pipeline, 7, "feature/x", false);
    build(pipeline, slug("v2", APP_JSON_WITH_DATABASE), UUID.randomUUID().toString(), 7);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> admin().get("/apps/" + app + "/releases").jsonPath().getList("$").size() == 2);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "succeeded"
                    .equals(
                        admin()
                            .get("/apps/" + app + "/releases/v2")
                            .jsonPath()
                            .getString("status")));
    assertEquals(
        1, ran(appLog, "postdeploy ran for"), "postdeploy runs after the first deploy only");
    assertEquals(
        secret,
        admin()
            .get("/apps/" + app + "/config-vars?reveal=true")
            .jsonPath()
            .getString("SESSION_SECRET"),
        "a generated secret is generated once per review app");

    pullRequest(EventType.CHANGE_ABANDONED, pipeline, 7, "feature/x", false);

    JsonPath deleted = awaitStatus(pipeline, 7, "deleted");
    assertEquals(created.getString("id"), deleted.getString("id"));
    assertEquals(1, ran(appLog, "pr-predestroy ran for"));
    following.close();
    assertEquals(404, get(app).statusCode());
    admin().get("/apps/" + app).then().statusCode(404);
    assertFalse(databaseExists(database), "the review app's database is dropped with it");
    List<CloudEvent> environments =
        TopicProbe.findAll(
                SlipwayInfrastructure.get().bootstrapServers(),
                Topic.ENVIRONMENTS.topicName(),
                pipeline,
                2,
                Duration.ofSeconds(30))
            .stream()
            .map(TopicProbe::cloudEvent)
            .toList();
    assertEquals(EventType.ENVIRONMENT_CREATED.type(), environments.get(0).type());
    assertEquals(EventType.ENVIRONMENT_DELETED.type(), environments.get(1).type());
    environments.forEach(SchemaValidation::assertValid);
  }

  @Test
  void reviewConfigAndGeneratedValuesAreSecretWhateverTheyAreCalled() throws Exception {
    String name = "rs" + suffix();
    String account = "acct-review-7c6b5a49";
    String pipeline =
        pipeline(
            name, name + "-staging", name + "-prod", false, Map.of("PARTNER_ACCOUNT", account));
    String app = ReviewApps.appName(name, 8);
    List<String> appLog = new CopyOnWriteArrayList<>();
    AppRuntime.LogSubscription following = runtime.logs(app, 0, true, appLog::add);
    String printing =
        """
        #!/usr/bin/env bash
        echo "postdeploy ran for ${SLIPWAY_APP_NAME}"
        echo "seed=${SIGNING_SEED} account=${PARTNER_ACCOUNT} greeting=${GREETING}"
        """;

    pullRequest(EventType.CHANGE_CREATED, pipeline, 8, "feature/seed", false);
    build(
        pipeline,
        slug(
            "plainly named",
            """
            {"env": {"GREETING": {"value": "hello plainly"},
                     "SIGNING_SEED": {"generator": "secret"}},
             "scripts": {"postdeploy": "bin/postdeploy"}}
            """,
            Map.of("bin/postdeploy", printing)),
        UUID.randomUUID().toString(),
        8);
    awaitStatus(pipeline, 8, "created");

    JsonPath revealed =
        admin().get("/apps/" + app + "/config-vars?reveal=true").then().extract().jsonPath();
    String seed = revealed.getString("SIGNING_SEED");
    assertEquals(64, seed.length());
    assertEquals(account, revealed.getString("PARTNER_ACCOUNT"));
    for (String role : List.of("viewer", "developer", "admin")) {
      io.restassured.RestAssured.given()
          .auth()
          .oauth2(TestTokens.issue(role).token())
          .get("/apps/" + app + "/config-vars")
          .then()
          .statusCode(200)
          .body("SIGNING_SEED", equalTo("[REDACTED]"))
          .body("PARTNER_ACCOUNT", equalTo("[REDACTED]"))
          .body("GREETING", equalTo("hello plainly"));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> appLog.stream().anyMatch(l -> l.contains("seed=")));
    String printed = appLog.stream().filter(l -> l.contains("seed=")).findFirst().orElseThrow();
    assertTrue(
        printed.contains("seed=[REDACTED] account=[REDACTED] greeting=hello plainly"), printed);
    following.close();

    String developer = TestTokens.issue("developer").token();
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(developer)
        .contentType(io.restassured.http.ContentType.JSON)
        .body(Map.of("PARTNER_REGION", "eu-partner-west"))
        .patch("/apps/" + app + "/config-vars?secret=PARTNER_REGION&secret=GREETING")
        .then()
        .statusCode(200)
        .body("PARTNER_REGION", equalTo("[REDACTED]"))
        .body("GREETING", equalTo("[REDACTED]"));
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(TestTokens.issue("viewer").token())
        .get("/apps/" + app + "/config-vars")
        .then()
        .body("PARTNER_REGION", equalTo("[REDACTED]"))
        .body("GREETING", equalTo("[REDACTED]"));
    assertEquals(
        "Set PARTNER_REGION config var; Mark GREETING, PARTNER_REGION secret",
        admin().get("/apps/" + app + "/releases/v2").jsonPath().getString("description"));
  }

  @Test
  void forkPullRequestWaitsForAnAdminAndGetsNoPipelineSecrets() throws Exception {
    String name = "fk" + suffix();
    String pipeline =
        pipeline(
            name,
            name + "-staging",
            name + "-prod",
            false,
            Map.of("REVIEW_API_TOKEN", "nope-secret"));
    String app = ReviewApps.appName(name, 3);

    pullRequest(EventType.CHANGE_CREATED, pipeline, 3, "patch-1", true);
    build(pipeline, slug("from a fork", null), UUID.randomUUID().toString(), 3, true);
    JsonPath pending = awaitStatus(pipeline, 3, "pending");
    assertFalse(pending.getBoolean("approved"));
    String developer = TestTokens.issue("developer").token();
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(developer)
        .post("/review-apps/" + pending.getString("id") + "/approve")
        .then()
        .statusCode(403);
    admin().get("/apps/" + app).then().statusCode(404);

    admin().post("/review-apps/" + pending.getString("id") + "/approve").then().statusCode(200);

    awaitStatus(pipeline, 3, "created");
    assertTrue(get(app).body().startsWith("Hello from a Slipway review app"));
    JsonPath config =
        admin().get("/apps/" + app + "/config-vars?reveal=true").then().extract().jsonPath();
    assertEquals(null, config.getString("REVIEW_API_TOKEN"));
  }

  @Test
  void reviewAppMadeByHandNeverPreApprovesAForkPullRequestOfTheSameNumber() throws Exception {
    String name = "hf" + suffix();
    String pipeline =
        pipeline(
            name,
            name + "-staging",
            name + "-prod",
            false,
            Map.of("REVIEW_API_TOKEN", "hand-made-leak"));
    String app = ReviewApps.appName(name, 4);
    String developer = TestTokens.issue("developer").token();
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(developer)
        .contentType(io.restassured.http.ContentType.JSON)
        .body(Map.of("branch", "patch-4", "pr_number", 4))
        .post("/pipelines/" + pipeline + "/review-apps")
        .then()
        .statusCode(201)
        .body("fork", org.hamcrest.Matchers.equalTo(false));

    pullRequest(EventType.CHANGE_CREATED, pipeline, 4, "patch-4", true);
    // A slug of its own: byte-identical artifacts are shared across pipelines (issue #13 item 8).
    build(pipeline, slug("from a fork, " + name, null), UUID.randomUUID().toString(), 4, true);

    JsonPath fork =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> awaitStatus(pipeline, 4, "pending"), r -> r.getBoolean("fork"));
    assertFalse(fork.getBoolean("approved"), "the forge says fork: an admin must approve");
    Awaitility.await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> admin().get("/apps/" + app).statusCode() == 404);

    admin().post("/review-apps/" + fork.getString("id") + "/approve").then().statusCode(200);
    awaitStatus(pipeline, 4, "created");
    JsonPath config =
        admin().get("/apps/" + app + "/config-vars?reveal=true").then().extract().jsonPath();
    assertEquals(null, config.getString("REVIEW_API_TOKEN"));
  }

  @Test
  void twoPullRequestsWhoseBuildsAreByteIdenticalBothGetTheirReviewApp() throws Exception {
    String name = "id" + suffix();
    String pipeline = pipeline(name, name + "-staging", name + "-prod", false);
    DeployFixtures.Slug same = slug("identical builds", null);

    pullRequest(EventType.CHANGE_CREATED, pipeline, 21, "first", false);
    build(pipeline, same, UUID.randomUUID().toString(), 21);
    awaitStatus(pipeline, 21, "created");
    pullRequest(EventType.CHANGE_CREATED, pipeline, 22, "second", false);
    build(pipeline, same, UUID.randomUUID().toString(), 22);

    awaitStatus(pipeline, 22, "created");
    for (int pr : new int[] {21, 22}) {
      String body = get(ReviewApps.appName(name, pr)).body();
      assertTrue(body.contains("(app: " + ReviewApps.appName(name, pr) + ")"), body);
    }
  }

  @Test
  void reviewAppIdleLongerThanStaleDaysIsReaped() throws Throwable {
    String name = "st" + suffix();
    String pipeline = pipeline(name, name + "-staging", name + "-prod", false);
    String app = ReviewApps.appName(name, 11);
    JsonPath requested =
        admin()
            .contentType("application/json")
            .body("{\"branch\": \"old-work\", \"pr_number\": 11}")
            .post("/pipelines/" + pipeline + "/review-apps")
            .then()
            .statusCode(201)
            .body("status", equalTo("pending"))
            .extract()
            .jsonPath();
    build(pipeline, slug("stale", null), UUID.randomUUID().toString(), 11);
    awaitStatus(pipeline, 11, "created");
    assertEquals(200, get(app).statusCode());

    int reaped =
        VertxContextSupport.subscribeAndAwait(
            () -> reviewApps.reapStale(Instant.now().plus(6, ChronoUnit.DAYS)));

    assertTrue(reaped >= 1);
    JsonPath gone = awaitStatus(pipeline, 11, "deleted");
    assertEquals(requested.getString("id"), gone.getString("id"));
    assertEquals(404, get(app).statusCode());
  }

  private static JsonPath awaitStatus(String pipeline, int pr, String status) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                admin()
                    .get("/pipelines/" + pipeline + "/review-apps")
                    .jsonPath()
                    .getList("findAll { it.pr_number == " + pr + " }", Map.class)
                    .stream()
                    .findFirst()
                    .map(m -> new JsonPath(toJson(m)))
                    .orElse(null),
            r -> r != null && status.equals(r.getString("status")));
  }

  private static String toJson(Map<?, ?> map) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long ran(List<String> log, String what) {
    return log.stream().filter(line -> line.contains(what)).count();
  }

  private static String databaseOf(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }
}

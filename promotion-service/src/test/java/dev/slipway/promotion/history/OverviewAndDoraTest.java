package dev.slipway.promotion.history;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventPayload;
import dev.slipway.events.EventType;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.build.BuildStarted;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.change.ChangePushed;
import dev.slipway.events.environment.EnvironmentChange;
import dev.slipway.events.environment.EnvironmentKind;
import dev.slipway.events.environment.EnvironmentStatus;
import dev.slipway.events.release.ReleaseCreated;
import dev.slipway.events.release.ReleaseFinished;
import dev.slipway.events.release.ReleaseStatus;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunQueued;
import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.local.LocalInfrastructure;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import dev.slipway.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishes a scripted history of one pipeline straight to Kafka, with event times in the past, and
 * checks the overview and the DORA keys against figures worked out by hand.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class OverviewAndDoraTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String SOURCE = "urn:slipway:overview-and-dora-test";

  @Inject DoraGauges gauges;

  private final LocalInfrastructure infra = SlipwayInfrastructure.get();
  private final List<String> sentIds = new ArrayList<>();
  private String suffix;
  private String pipelineId;
  private String stagingApp;
  private String productionApp;
  private Instant t0;

  @BeforeEach
  void createPipeline() {
    suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    stagingApp = "stg-a" + suffix;
    productionApp = "prod-a" + suffix;
    pipelineId =
        given()
            .auth()
            .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "name",
                    "hist-" + suffix,
                    "repository_url",
                    "https://github.com/acme/hist-" + suffix,
                    "couplings",
                    List.of(
                        Map.of("stage", "staging", "app_name", stagingApp),
                        Map.of("stage", "production", "app_name", productionApp))))
            .when()
            .post("/pipelines")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
  }

  @Test
  void overviewAndDoraOfAScriptedHistoryEqualHandComputedValues() throws Exception {
    // Everything happens within the last 20 days, so a 30-day window holds all of it.
    t0 = Instant.now().minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.HOURS);
    String c1 = sha("c1");
    String c2 = sha("c2");
    String c3 = sha("c3");
    String c4 = sha("c4");
    String c4b = sha("c4b");
    String c5 = sha("c5");
    String c6 = sha("c6");
    String feature = sha("feature");
    String d1 = digest("d1");
    String d2 = digest("d2");
    String d3 = digest("d3");
    String d4 = digest("d4");
    String d5 = digest("d5");

    // Pushes to main, in this order: c1 c2 c3 c4 c4b c5 c6. A push to another branch and a push
    // that deleted a branch must not show in the promotion preview.
    String previous = sha("root");
    String[] mainShas = {c1, c2, c3, c4, c4b, c5, c6};
    int[] pushHours = {0, 24, 48, 72, 90, 96, 100};
    for (int i = 0; i < mainShas.length; i++) {
      push("main", previous, mainShas[i], false, at(pushHours[i], 0));
      previous = mainShas[i];
    }
    push("feature/x", c4, feature, false, at(91, 0));
    push("old", c3, "0".repeat(40), true, at(92, 0));

    // Builds c1..c5 succeeded 30 minutes after their push; c4's finished event comes before its
    // queued event (out of order). c6's build is queued and started but not finished.
    String[] built = {c1, c2, c3, c4, c5};
    String[] digests = {d1, d2, d3, d4, d5};
    int[] builtHours = {0, 24, 48, 72, 96};
    for (int i = 0; i < built.length; i++) {
      String buildId = "b" + (i + 1) + "-" + suffix;
      Instant queued = at(builtHours[i], 1);
      Instant finished = at(builtHours[i], 30);
      BuildQueued q = new BuildQueued(pipelineId, buildId, built[i], "main", null, false, queued);
      BuildFinished f =
          new BuildFinished(
              pipelineId,
              buildId,
              built[i],
              "main",
              null,
              false,
              BuildStatus.SUCCEEDED,
              digests[i],
              null,
              null,
              finished);
      if (built[i].equals(c4)) {
        send(EventType.BUILD_FINISHED, f, finished);
        send(EventType.BUILD_QUEUED, q, queued);
      } else {
        send(EventType.BUILD_QUEUED, q, queued);
        send(EventType.BUILD_FINISHED, f, finished);
      }
    }
    String b6 = "b6-" + suffix;
    send(
        EventType.BUILD_QUEUED,
        new BuildQueued(pipelineId, b6, c6, "main", null, false, at(100, 10)),
        at(100, 10));
    send(
        EventType.BUILD_STARTED,
        new BuildStarted(pipelineId, b6, c6, "main", null, false, at(100, 11)),
        at(100, 11));

    // Test runs: #4 of c4 succeeded; c5 failed as #5, then its re-run #6 succeeded.
    testRun("tr4", 4, "b4", c4, TestRunStatus.SUCCEEDED, null, at(72, 45));
    testRun("tr5", 5, "b5", c5, TestRunStatus.FAILED, "1 of 3 tests failed", at(96, 45));
    testRun("tr6", 6, "b5", c5, TestRunStatus.SUCCEEDED, null, at(96, 55));

    // Staging: v1..v5 deploy d1..d5, one hour after each push.
    for (int v = 1; v <= 5; v++) {
      release(
          stagingApp, v, digests[v - 1], ReleaseStatus.SUCCEEDED, "build", builtHours[v - 1] + 1);
    }

    // Production (hours after t0 at which each release finished):
    //   v1 d1 promotion succeeded  +2h
    //   v2 d2 promotion succeeded +26h   (rolled back by v3)
    //   v3 d1 rollback  succeeded +27h
    //   v4 d3 promotion failed    +50h
    //   v5 d3 promotion succeeded +52h
    //   v6 d4 promotion succeeded +80h   (its finished event is sent before its created event)
    //   v7 d4 manual    succeeded +81h   (a redeploy of d4)
    release(productionApp, 1, d1, ReleaseStatus.SUCCEEDED, "promotion", 2);
    release(productionApp, 2, d2, ReleaseStatus.SUCCEEDED, "promotion", 26);
    release(productionApp, 3, d1, ReleaseStatus.SUCCEEDED, "rollback", 27);
    release(productionApp, 4, d3, ReleaseStatus.FAILED, "promotion", 50);
    release(productionApp, 5, d3, ReleaseStatus.SUCCEEDED, "promotion", 52);
    String v6 = "rel-" + productionApp + "-6";
    send(
        EventType.RELEASE_FINISHED,
        new ReleaseFinished(
            pipelineId,
            productionApp,
            v6,
            6,
            d4,
            ReleaseStatus.SUCCEEDED,
            "Promote v4",
            "promotion"),
        at(80, 0));
    send(
        EventType.RELEASE_CREATED,
        new ReleaseCreated(
            pipelineId, productionApp, v6, 6, d4, ReleaseStatus.PENDING, "Promote v4", "promotion"),
        at(79, 50));
    release(productionApp, 7, d4, ReleaseStatus.SUCCEEDED, "manual", 81);

    // Review apps: PR 7 is up; PR 8 was deleted, and its deletion arrives before its creation.
    // A staging environment is not a review app.
    environment(
        EventType.ENVIRONMENT_MODIFIED,
        "pr-7",
        EnvironmentKind.REVIEW,
        7,
        "https://pr-7.example.com",
        EnvironmentStatus.CREATED,
        at(93, 0));
    environment(
        EventType.ENVIRONMENT_DELETED,
        "pr-8",
        EnvironmentKind.REVIEW,
        8,
        null,
        EnvironmentStatus.DELETED,
        at(95, 0));
    environment(
        EventType.ENVIRONMENT_CREATED,
        "pr-8",
        EnvironmentKind.REVIEW,
        8,
        null,
        EnvironmentStatus.CREATING,
        at(94, 0));
    environment(
        EventType.ENVIRONMENT_CREATED,
        "staging",
        EnvironmentKind.STAGING,
        null,
        "https://staging.example.com",
        EnvironmentStatus.CREATED,
        at(1, 0));

    awaitProcessed();
    String viewer = TestTokens.issue("viewer").token();

    JsonPath overview =
        given()
            .auth()
            .oauth2(viewer)
            .when()
            .get("/pipelines/" + pipelineId + "/overview")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(pipelineId, overview.getString("pipeline.id"));
    assertEquals("main", overview.getString("pipeline.branch"));
    assertEquals(List.of("review", "staging", "production"), overview.getList("stages.stage"));
    assertEquals(List.of(), overview.getList("stages[0].apps"));

    // Staging runs v5 (d5, built from c5); c5's latest test run is #6, which succeeded.
    String staging = "stages[1].apps[0].";
    assertEquals(stagingApp, overview.getString(staging + "app_name"));
    assertEquals(5, overview.getInt(staging + "current_release.version"));
    assertEquals(c5, overview.getString(staging + "current_release.commit_sha"));
    assertEquals(d5, overview.getString(staging + "current_release.artifact_digest"));
    assertEquals(
        at(97, 0), Instant.parse(overview.getString(staging + "current_release.deployed_at")));
    assertEquals("build", overview.getString(staging + "current_release.cause"));
    assertEquals("Deploy v5", overview.getString(staging + "current_release.description"));
    assertEquals(6, overview.getInt(staging + "test_run.number"));
    assertEquals("succeeded", overview.getString(staging + "test_run.status"));

    // Production runs v7 (the highest succeeded version): d4, built from c4, whose run #4 passed.
    String production = "stages[2].apps[0].";
    assertEquals(productionApp, overview.getString(production + "app_name"));
    assertEquals(7, overview.getInt(production + "current_release.version"));
    assertEquals(c4, overview.getString(production + "current_release.commit_sha"));
    assertEquals(d4, overview.getString(production + "current_release.artifact_digest"));
    assertEquals(
        at(81, 0), Instant.parse(overview.getString(production + "current_release.deployed_at")));
    assertEquals("manual", overview.getString(production + "current_release.cause"));
    assertEquals(4, overview.getInt(production + "test_run.number"));

    // Only PR 7's review app is open.
    assertEquals(List.of("pr-7-" + suffix), overview.getList("review_apps.environment_id"));
    assertEquals("created", overview.getString("review_apps[0].status"));
    assertEquals("https://pr-7.example.com", overview.getString("review_apps[0].url"));
    assertEquals(7, overview.getInt("review_apps[0].pr_number"));

    // Only c6's build is in flight.
    assertEquals(List.of(b6), overview.getList("builds_in_flight.id"));
    assertEquals("started", overview.getString("builds_in_flight[0].status"));
    assertEquals(c6, overview.getString("builds_in_flight[0].commit_sha"));

    // Production has c4, staging c5: on main, c4b and c5 were pushed after c4, up to c5.
    assertEquals(stagingApp, overview.getString("promotion_preview.source_app"));
    assertEquals(productionApp, overview.getString("promotion_preview.target_app"));
    assertEquals(c5, overview.getString("promotion_preview.source_commit_sha"));
    assertEquals(c4, overview.getString("promotion_preview.target_commit_sha"));
    assertEquals(List.of(c4b, c5), overview.getList("promotion_preview.commits.sha"));
    assertEquals(
        at(90, 0), Instant.parse(overview.getString("promotion_preview.commits[0].pushed_at")));

    JsonPath dora = dora(viewer, "30d");
    assertEquals("30d", dora.getString("window"));
    assertEquals(List.of(productionApp), dora.getList("production_apps"));
    // Deployments: succeeded production releases v1 v2 v3 v5 v6 v7 = 6; per day 6 / 30 = 0.2.
    assertEquals(6, dora.getInt("deployment_frequency.deployments"));
    assertEquals(0.2, dora.getDouble("deployment_frequency.per_day"), 1e-9);
    // Lead time, over first deployments of an artifact (v3 is a rollback, v7 a redeploy of d4):
    //   v1: +2h  - c1 pushed +0h  = 2h
    //   v2: +26h - c2 pushed +24h = 2h
    //   v5: +52h - c3 pushed +48h = 4h
    //   v6: +80h - c4 pushed +72h = 8h
    //   median of 2h 2h 4h 8h = (2h + 4h) / 2 = 3h = 10800 s.
    assertEquals(10_800.0, dora.getDouble("lead_time_for_changes.median_seconds"), 1e-9);
    assertEquals("PT3H", dora.getString("lead_time_for_changes.median"));
    assertEquals(4, dora.getInt("lead_time_for_changes.samples"));
    // Change failure rate: v4 failed and v2 was rolled back by v3: 2 of the 7 finished
    // production releases (v1..v7).
    assertEquals(2, dora.getInt("change_failure_rate.failures"));
    assertEquals(7, dora.getInt("change_failure_rate.releases"));
    assertEquals(2.0 / 7, dora.getDouble("change_failure_rate.rate"), 1e-9);
    // Time to restore: v2 (+26h) to v3 (+27h) = 1h; v4 (+50h) to v5 (+52h) = 2h.
    //   median of 1h 2h = 1h30m = 5400 s.
    assertEquals(5_400.0, dora.getDouble("time_to_restore.median_seconds"), 1e-9);
    assertEquals("PT1H30M", dora.getString("time_to_restore.median"));
    assertEquals(2, dora.getInt("time_to_restore.samples"));
    // Rework: v3 (rollback) of 6 deployments = 1/6; v7 releases d4 again while production
    // already runs d4, which changes no code and is not rework.
    assertEquals(1, dora.getInt("deployment_rework_rate.rework"));
    assertEquals(1.0 / 6, dora.getDouble("deployment_rework_rate.rate"), 1e-9);

    // The last hour holds nothing: counts are zero and rates and medians null.
    JsonPath empty = dora(viewer, "1h");
    assertEquals(0, empty.getInt("deployment_frequency.deployments"));
    assertNull(empty.get("lead_time_for_changes.median_seconds"));
    assertNull(empty.get("lead_time_for_changes.median"));
    assertNull(empty.get("change_failure_rate.rate"));
    assertNull(empty.get("time_to_restore.median_seconds"));
    assertNull(empty.get("deployment_rework_rate.rate"));

    // The gauges carry the same 30-day figures once refreshed.
    gauges.refresh().await().atMost(PATIENCE);
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    String tag = "{pipeline=\"" + pipelineId + "\"}";
    assertTrue(metrics.contains("slipway_dora_deployments" + tag + " 6.0"), metrics);
    assertTrue(metrics.contains("slipway_dora_lead_time_seconds" + tag + " 10800.0"), metrics);
    assertTrue(metrics.contains("slipway_dora_time_to_restore_seconds" + tag + " 5400.0"), metrics);
    assertTrue(metrics.contains("slipway_dora_change_failure_rate" + tag + " 0.2857"), metrics);
  }

  @Test
  void redeliveredReleaseEventDoesNotCountTwice() throws Exception {
    t0 = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
    String digest = digest("only");
    CloudEvent finished =
        EventCodec.encode(
            EventType.RELEASE_FINISHED,
            SOURCE,
            new ReleaseFinished(
                pipelineId,
                productionApp,
                "rel-" + productionApp + "-1",
                1,
                digest,
                ReleaseStatus.SUCCEEDED,
                "Promote v1",
                "promotion"),
            UUID.randomUUID().toString(),
            at(1, 0));
    // The same event twice (an outbox relay re-sending after a crash), then a later failed release.
    publish(finished);
    publish(finished);
    release(productionApp, 2, digest("next"), ReleaseStatus.FAILED, "promotion", 2);
    awaitProcessed();

    String viewer = TestTokens.issue("viewer").token();
    JsonPath dora = dora(viewer, "7d");
    assertEquals(1, dora.getInt("deployment_frequency.deployments"));
    assertEquals(2, dora.getInt("change_failure_rate.releases"));
    assertEquals(1, dora.getInt("change_failure_rate.failures"));
  }

  @Test
  void unknownPipelineIs404AndABadWindowIs400NamingIt() {
    String viewer = TestTokens.issue("viewer").token();
    String unknown = UUID.randomUUID().toString();
    for (String path : List.of("/overview", "/metrics/dora")) {
      given()
          .auth()
          .oauth2(viewer)
          .when()
          .get("/pipelines/" + unknown + path)
          .then()
          .statusCode(404)
          .body("message", containsString(unknown));
    }
    for (String window : List.of("0d", "366d", "8761h", "30", "abc", "-1d")) {
      given()
          .auth()
          .oauth2(viewer)
          .queryParam("window", window)
          .when()
          .get("/pipelines/" + pipelineId + "/metrics/dora")
          .then()
          .statusCode(400)
          .body("field", equalTo("window"));
    }
    given().when().get("/pipelines/" + pipelineId + "/overview").then().statusCode(401);
  }

  private JsonPath dora(String token, String window) {
    return given()
        .auth()
        .oauth2(token)
        .queryParam("window", window)
        .when()
        .get("/pipelines/" + pipelineId + "/metrics/dora")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        // Rates such as 2/7 need a double's precision; RestAssured reads floats by default.
        .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
  }

  private void push(String branch, String before, String after, boolean deleted, Instant time)
      throws Exception {
    send(
        EventType.CHANGE_PUSHED,
        new ChangePushed(
            pipelineId,
            "https://github.com/acme/hist-" + suffix,
            "refs/heads/" + branch,
            branch,
            before,
            after,
            "ada",
            UUID.randomUUID().toString(),
            deleted),
        time);
  }

  private void testRun(
      String id,
      int number,
      String build,
      String commit,
      TestRunStatus status,
      String message,
      Instant finishedAt)
      throws Exception {
    String testRunId = id + "-" + suffix;
    String buildId = build + "-" + suffix;
    send(
        EventType.TESTSUITERUN_QUEUED,
        new TestRunQueued(
            pipelineId, testRunId, number, buildId, commit, "main", TestRunStatus.PENDING, null),
        finishedAt.minus(Duration.ofMinutes(10)));
    send(
        EventType.TESTSUITERUN_FINISHED,
        new TestRunFinished(
            pipelineId, testRunId, number, buildId, commit, "main", status, message),
        finishedAt);
  }

  /** A release created ten minutes before it finished, {@code hours} after t0. */
  private void release(
      String app, int version, String digest, ReleaseStatus status, String cause, int hours)
      throws Exception {
    String id = "rel-" + app + "-" + version;
    String description = "build".equals(cause) ? "Deploy v" + version : cause + " v" + version;
    send(
        EventType.RELEASE_CREATED,
        new ReleaseCreated(
            pipelineId, app, id, version, digest, ReleaseStatus.PENDING, description, cause),
        at(hours - 1, 50));
    send(
        EventType.RELEASE_FINISHED,
        new ReleaseFinished(pipelineId, app, id, version, digest, status, description, cause),
        at(hours, 0));
  }

  private void environment(
      EventType type,
      String name,
      EnvironmentKind kind,
      Integer pr,
      String url,
      EnvironmentStatus status,
      Instant time)
      throws Exception {
    send(
        type,
        new EnvironmentChange(
            pipelineId, name + "-" + suffix, "shop-" + name, kind, pr, url, status),
        time);
  }

  private void send(EventType type, EventPayload payload, Instant time) throws Exception {
    publish(EventCodec.encode(type, SOURCE, payload, UUID.randomUUID().toString(), time));
  }

  private void publish(CloudEvent event) throws Exception {
    TestEvents.publish(event, pipelineId);
    sentIds.add(event.id());
  }

  /** Waits until the service recorded every event sent, each with the projection change it made. */
  private void awaitProcessed() {
    List<String> ids = List.copyOf(sentIds);
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> processed(ids) == ids.stream().distinct().count());
  }

  private long processed(List<String> ids) throws Exception {
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM promotion_service.processed_event"
                    + " WHERE consumer_group = 'promotion-service' AND event_id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private Instant at(int hours, int minutes) {
    return t0.plus(Duration.ofHours(hours)).plus(Duration.ofMinutes(minutes));
  }

  /** A commit id unique to this test run. */
  private String sha(String name) throws Exception {
    return hex(name).substring(0, 40);
  }

  /** An artifact digest unique to this test run. */
  private String digest(String name) throws Exception {
    return "sha256:" + hex("artifact " + name);
  }

  private String hex(String name) throws Exception {
    byte[] hash =
        MessageDigest.getInstance("SHA-256")
            .digest((suffix + " " + name).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash);
  }
}

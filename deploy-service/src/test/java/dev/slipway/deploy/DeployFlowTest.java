package dev.slipway.deploy;

import static dev.slipway.deploy.DeployFixtures.admin;
import static dev.slipway.deploy.DeployFixtures.awaitRelease;
import static dev.slipway.deploy.DeployFixtures.build;
import static dev.slipway.deploy.DeployFixtures.buildQueuedAt;
import static dev.slipway.deploy.DeployFixtures.get;
import static dev.slipway.deploy.DeployFixtures.pipeline;
import static dev.slipway.deploy.DeployFixtures.slug;
import static dev.slipway.deploy.DeployFixtures.suffix;
import static dev.slipway.deploy.DeployFixtures.testRun;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.artifact.StoredArtifact;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.Topic;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.promotion.PromotionTargetFinished;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import dev.slipway.testkit.TestTokens;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Releases as a Heroku user sees them, with the example app's real slug running behind the local
 * router: auto-deploy after CI, a failing release phase, rollback, promotion, a redeploy under
 * traffic, and redelivered events.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class DeployFlowTest {

  /**
   * After the flows above, every event they left on Slipway's topics (produced by deploy-service or
   * published as its upstream services would) is a conformant CDEvents v0.5.1 event: the
   * captured-flow conformance check of issue #19.
   */
  @AfterAll
  static void everyRecordTheFlowsLeftOnEveryTopicIsAConformantCdevent() {
    int validated = 0;
    for (Topic topic : Topic.values()) {
      for (ConsumerRecord<String, byte[]> record :
          TopicProbe.everyRecord(
              SlipwayInfrastructure.get().bootstrapServers(), topic.topicName())) {
        if (record.value() != null) {
          SchemaValidation.assertValid(TopicProbe.cloudEvent(record));
          validated++;
        }
      }
    }
    assertTrue(validated > 20, "only " + validated + " records on the topics");
  }

  @Test
  void greenBuildIsReleasedToStagingAfterItsTestsAndAFailedRunReleasesNothing() throws Exception {
    String staging = "shop-" + suffix() + "-staging";
    String pipeline = pipeline("shop", staging, "shop-" + suffix(), true);
    String first = UUID.randomUUID().toString();
    build(pipeline, slug("Hello from v1"), first, null);
    testRun(pipeline, first, 1, TestRunStatus.SUCCEEDED);

    JsonPath v1 = awaitRelease(staging, 1);

    assertEquals("succeeded", v1.getString("status"), v1.prettify());
    assertEquals("auto_deploy", v1.getString("cause"));
    assertTrue(get(staging).body().startsWith("Hello from v1"));
    String rejected = UUID.randomUUID().toString();
    build(pipeline, slug("Hello from a red build"), rejected, null);
    testRun(pipeline, rejected, 2, TestRunStatus.FAILED);
    String accepted = UUID.randomUUID().toString();
    StoredArtifact green = slug("Hello from v2");
    build(pipeline, green, accepted, null);
    testRun(pipeline, accepted, 3, TestRunStatus.SUCCEEDED);
    JsonPath v2 = awaitRelease(staging, 2);
    assertEquals(green.digest().toString(), v2.getString("artifact_digest"));
    assertTrue(get(staging).body().startsWith("Hello from v2"));
    CloudEvent deployed =
        TopicProbe.findAll(
                SlipwayInfrastructure.get().bootstrapServers(),
                Topic.RELEASES.topicName(),
                pipeline,
                4,
                Duration.ofSeconds(30))
            .stream()
            .map(TopicProbe::cloudEvent)
            .filter(e -> e.type().equals(EventType.SERVICE_DEPLOYED.type()))
            .findFirst()
            .orElseThrow();
    SchemaValidation.assertValid(deployed);
  }

  @Test
  void testRunReportedBeforeItsBuildStillReleasesTheBuild() throws Exception {
    String staging = "early-" + suffix() + "-staging";
    String pipeline = pipeline("early", staging, "early-" + suffix(), true);
    String buildId = UUID.randomUUID().toString();

    // Different topics: the test-service's verdict may be read before the build-service's event.
    testRun(pipeline, buildId, 1, TestRunStatus.SUCCEEDED);
    build(pipeline, slug("Hello early"), buildId, null);

    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));
    assertTrue(get(staging).body().startsWith("Hello early"));
  }

  @Test
  void failingReleasePhaseKeepsThePreviousReleaseServingAndRollbackRestoresOldCode()
      throws Exception {
    String staging = "api-" + suffix() + "-staging";
    String pipeline = pipeline("api", staging, "api-" + suffix(), false);
    build(pipeline, slug("Hello from the first"), UUID.randomUUID().toString(), null);
    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));
    build(pipeline, slug("Hello from the second"), UUID.randomUUID().toString(), null);
    assertEquals("succeeded", awaitRelease(staging, 2).getString("status"));

    admin()
        .contentType("application/json")
        .body("{\"FAIL_RELEASE\": \"true\"}")
        .patch("/apps/" + staging + "/config-vars")
        .then()
        .statusCode(200)
        .body("FAIL_RELEASE", equalTo("true"));
    JsonPath v3 = awaitRelease(staging, 3);

    assertEquals("failed", v3.getString("status"));
    assertTrue(v3.getString("error").contains("release command failed"), v3.getString("error"));
    assertTrue(v3.getString("output").contains("FAIL_RELEASE=true"), v3.getString("output"));
    assertTrue(get(staging).body().startsWith("Hello from the second"));
    admin().get("/apps/" + staging).then().body("current_release", equalTo(2));

    admin()
        .contentType("application/json")
        .body("{\"rollback_to\": \"v1\"}")
        .post("/apps/" + staging + "/releases")
        .then()
        .statusCode(201)
        .body("version", equalTo(4))
        .body("cause", equalTo("rollback"));
    assertEquals("succeeded", awaitRelease(staging, 4).getString("status"));
    assertTrue(get(staging).body().startsWith("Hello from the first"));
    // Heroku's rollback restores v1's config too: the app's config vars are v1's again.
    admin()
        .get("/apps/" + staging + "/config-vars")
        .then()
        .statusCode(200)
        .body("FAIL_RELEASE", nullValue());
    admin()
        .contentType("application/json")
        .body("{\"rollback_to\": \"v99\"}")
        .post("/apps/" + staging + "/releases")
        .then()
        .statusCode(422)
        .body("field", equalTo("rollback_to"));
  }

  @Test
  void rollbackRestoresTheConfigVarsOfTheReleaseItReturnsToAndKeepsEveryMarkedSecretSecret()
      throws Exception {
    String staging = "cfg-" + suffix() + "-staging";
    String pipeline = pipeline("cfg", staging, "cfg-" + suffix(), false);
    build(pipeline, slug("Hello configured"), UUID.randomUUID().toString(), null);
    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));
    setConfig(staging, "{\"GREETING\": \"hi\", \"API_KEY\": \"first-key\"}");
    assertEquals("succeeded", awaitRelease(staging, 2).getString("status"));
    setConfig(staging, "{\"GREETING\": \"bye\", \"API_KEY\": null}");
    assertEquals("succeeded", awaitRelease(staging, 3).getString("status"));
    admin()
        .contentType("application/json")
        .queryParam("secret", "GREETING")
        .body("{}")
        .patch("/apps/" + staging + "/config-vars")
        .then()
        .statusCode(200)
        .body("GREETING", equalTo("[REDACTED]"));
    assertEquals("Mark GREETING secret", awaitRelease(staging, 4).getString("description"));

    admin()
        .contentType("application/json")
        .body("{\"rollback_to\": \"v2\"}")
        .post("/apps/" + staging + "/releases")
        .then()
        .statusCode(201)
        .body("cause", equalTo("rollback"));
    assertEquals("succeeded", awaitRelease(staging, 5).getString("status"));

    admin()
        .queryParam("reveal", true)
        .get("/apps/" + staging + "/config-vars")
        .then()
        .statusCode(200)
        .body("GREETING", equalTo("hi"))
        .body("API_KEY", equalTo("first-key"));
    // v2 was made before GREETING was marked; rolling back to it does not unmask it.
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(TestTokens.issue("viewer").token())
        .get("/apps/" + staging + "/config-vars")
        .then()
        .body("GREETING", equalTo("[REDACTED]"));
  }

  private static void setConfig(String app, String json) {
    admin()
        .contentType("application/json")
        .body(json)
        .patch("/apps/" + app + "/config-vars")
        .then()
        .statusCode(200);
  }

  @Test
  void followedAppLogReceivesALineWrittenAfterTheTailStarted() throws Exception {
    String staging = "tail-" + suffix() + "-staging";
    String pipeline = pipeline("tail", staging, "tail-" + suffix(), false);
    build(pipeline, slug("Hello tailed"), UUID.randomUUID().toString(), null);
    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));
    java.util.concurrent.BlockingQueue<String> lines =
        new java.util.concurrent.LinkedBlockingQueue<>();
    CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream =
        DeployFixtures.HTTP.sendAsync(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://localhost:"
                            + io.restassured.RestAssured.port
                            + "/apps/"
                            + staging
                            + "/logs?follow=true&tail=1"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + SlipwayInfrastructure.ADMIN_TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<java.util.stream.Stream<String>> response =
        stream.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    Thread reader = new Thread(() -> response.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    try {
      // Changing a config var makes release v2 (as on Heroku), which the runtime logs as it
      // deploys.
      setConfig(staging, "{\"PROBE\": \"" + suffix() + "\"}");
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> lines.stream().anyMatch(l -> l.contains("Deployed v2")));
    } finally {
      response.body().close();
    }
  }

  @Test
  void ciOfAnOlderCommitFinishingLastDoesNotMoveStagingBack() throws Exception {
    String staging = "order-" + suffix() + "-staging";
    String pipeline = pipeline("order", staging, "order-" + suffix(), true);
    Instant pushed = Instant.now();
    String older = UUID.randomUUID().toString();
    String newer = UUID.randomUUID().toString();
    buildQueuedAt(pipeline, slug("Hello from the older push"), older, pushed);
    StoredArtifact second = slug("Hello from the newer push");
    buildQueuedAt(pipeline, second, newer, pushed.plusSeconds(1));
    testRun(pipeline, newer, 2, TestRunStatus.SUCCEEDED);
    assertEquals(second.digest().toString(), awaitRelease(staging, 1).getString("artifact_digest"));

    // The older commit's run (a re-run, or simply slower) succeeds after the newer one deployed.
    testRun(pipeline, older, 3, TestRunStatus.SUCCEEDED);
    StoredArtifact third = slug("Hello from the newest push");
    String newest = UUID.randomUUID().toString();
    buildQueuedAt(pipeline, third, newest, pushed.plusSeconds(2));
    testRun(pipeline, newest, 4, TestRunStatus.SUCCEEDED);

    // Test-run events of one pipeline are read in order: had the older run released, it would be
    // v2 and the newest push v3.
    JsonPath v2 = awaitRelease(staging, 2);
    assertEquals(third.digest().toString(), v2.getString("artifact_digest"));
    assertTrue(get(staging).body().startsWith("Hello from the newest push"));
    admin().get("/apps/" + staging + "/releases/v3").then().statusCode(404);
  }

  @Test
  void secretConfigValuesTheAppPrintsAreMaskedInItsReleasePhaseAndLogForAViewer() throws Exception {
    String staging = "vault-" + suffix() + "-staging";
    String pipeline = pipeline("vault", staging, "vault-" + suffix(), false);
    String releaseTasks =
        """
        #!/usr/bin/env bash
        echo "release token ${API_TOKEN:-none}"
        """;
    build(
        pipeline,
        slug("Hello vault", null, java.util.Map.of("bin/release-tasks", releaseTasks)),
        UUID.randomUUID().toString(),
        null);
    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));

    admin()
        .contentType("application/json")
        .body("{\"API_TOKEN\": \"tok-7e6d5c4b3a29\"}")
        .patch("/apps/" + staging + "/config-vars")
        .then()
        .statusCode(200);
    assertEquals("succeeded", awaitRelease(staging, 2).getString("status"));

    var viewer =
        io.restassured.RestAssured.given()
            .auth()
            .oauth2(dev.slipway.testkit.TestTokens.issue("viewer").token());
    String output =
        viewer
            .get("/apps/" + staging + "/releases/v2")
            .then()
            .statusCode(200)
            .extract()
            .path("output");
    assertTrue(output.contains("release token [REDACTED]"), output);
    String log =
        viewer
            .queryParam("tail", 1500)
            .get("/apps/" + staging + "/logs")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(log.contains("release token [REDACTED]"), log);
    assertTrue(!log.contains("tok-7e6d5c4b3a29") && !output.contains("tok-7e6d5c4b3a29"), log);
  }

  @Test
  void promotionReleasesTheSameArtifactToProduction() throws Exception {
    String staging = "web-" + suffix() + "-staging";
    String production = "web-" + suffix();
    String pipeline = pipeline("web", staging, production, false);
    StoredArtifact artifact = slug("Hello from production");
    build(pipeline, artifact, UUID.randomUUID().toString(), null);
    JsonPath source = awaitRelease(staging, 1);
    String promotion = UUID.randomUUID().toString();

    TestEvents.publish(
        "urn:slipway:promotion-service",
        EventType.PROMOTION_REQUESTED,
        new PromotionRequested(
            pipeline,
            promotion,
            staging,
            source.getString("id"),
            artifact.digest().toString(),
            List.of(production)));

    JsonPath released = awaitRelease(production, 1);
    assertEquals("succeeded", released.getString("status"));
    assertEquals(source.getString("artifact_digest"), released.getString("artifact_digest"));
    assertEquals("promotion", released.getString("cause"));
    assertTrue(get(production).body().startsWith("Hello from production"));
    PromotionTargetFinished finished =
        TopicProbe.findAll(
                SlipwayInfrastructure.get().bootstrapServers(),
                Topic.PROMOTIONS.topicName(),
                pipeline,
                2,
                Duration.ofSeconds(30))
            .stream()
            .map(TopicProbe::cloudEvent)
            .filter(e -> e.type().equals(EventType.PROMOTION_TARGET_FINISHED.type()))
            .map(e -> EventCodec.decode(e, PromotionTargetFinished.class))
            .findFirst()
            .orElseThrow();
    assertEquals(PromotionTargetStatus.SUCCEEDED, finished.status());
    assertEquals(released.getString("id"), finished.releaseId());
    String metrics =
        io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        metrics.contains("slipway_releases_total{cause=\"promotion\",outcome=\"succeeded\"}"),
        "releases by cause and outcome are exported");
    assertTrue(metrics.contains("slipway_processes_restarts"), "process restarts are exported");
  }

  @Test
  void noRequestFailsWhileAConfigChangeRedeploysTheApp() throws Exception {
    String staging = "steady-" + suffix() + "-staging";
    String pipeline = pipeline("steady", staging, "steady-" + suffix(), false);
    build(pipeline, slug("Hello"), UUID.randomUUID().toString(), null);
    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sawNew = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger served = new AtomicInteger();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      clients.add(
          CompletableFuture.runAsync(
              () -> {
                while (running.get()) {
                  try {
                    HttpResponse<String> r = get(staging);
                    served.incrementAndGet();
                    if (r.statusCode() != 200) {
                      failures.add(r.statusCode() + " " + r.body());
                    } else if (r.body().startsWith("Bonjour")) {
                      sawNew.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              }));
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> served.get() > 30);

    admin()
        .contentType("application/json")
        .body("{\"GREETING\": \"Bonjour\"}")
        .patch("/apps/" + staging + "/config-vars")
        .then()
        .statusCode(200);
    assertEquals("succeeded", awaitRelease(staging, 2).getString("status"));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sawNew.get() > 30);
    running.set(false);
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();

    assertEquals(List.of(), failures, "requests failed during the redeploy");
  }

  /**
   * Reproducible builds give builds of one commit one digest. The branch pointing back at an
   * already-built commit (its build reused, a new build id with the old digest) moves staging to
   * it; a re-push of the commit staging already runs makes no release at all.
   */
  @Test
  void aNewBuildWithAnOlderDigestMovesStagingButOneOfStagingsOwnDigestMakesNoRelease()
      throws Exception {
    String staging = "reuse-" + suffix() + "-staging";
    String pipeline = pipeline("reuse", staging, "reuse-" + suffix(), false);
    Instant pushed = Instant.now();
    StoredArtifact first = slug("Hello from the first commit");
    StoredArtifact second = slug("Hello from the second commit");
    buildQueuedAt(pipeline, first, UUID.randomUUID().toString(), pushed);
    awaitRelease(staging, 1);
    buildQueuedAt(pipeline, second, UUID.randomUUID().toString(), pushed.plusSeconds(1));
    awaitRelease(staging, 2);

    // main reset to the first commit: its build is reused under a new build id.
    buildQueuedAt(pipeline, first, UUID.randomUUID().toString(), pushed.plusSeconds(2));
    JsonPath v3 = awaitRelease(staging, 3);
    assertEquals(first.digest().toString(), v3.getString("artifact_digest"));
    assertTrue(get(staging).body().startsWith("Hello from the first commit"));

    // The same commit pushed again (a new delivery): same digest, nothing to release.
    buildQueuedAt(pipeline, first, UUID.randomUUID().toString(), pushed.plusSeconds(3));
    StoredArtifact third = slug("Hello from the third commit");
    buildQueuedAt(pipeline, third, UUID.randomUUID().toString(), pushed.plusSeconds(4));
    JsonPath v4 = awaitRelease(staging, 4);
    assertEquals(third.digest().toString(), v4.getString("artifact_digest"));
    admin().get("/apps/" + staging + "/releases/v5").then().statusCode(404);
  }

  @Test
  void redeliveredBuildEventMakesNoSecondRelease() throws Exception {
    String staging = "once-" + suffix() + "-staging";
    String pipeline = pipeline("once", staging, "once-" + suffix(), false);
    CloudEvent event = build(pipeline, slug("Hello once"), UUID.randomUUID().toString(), null);

    TestEvents.publish(event, pipeline);
    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));
    // A later build proves both copies of the first were consumed before it.
    build(pipeline, slug("Hello twice"), UUID.randomUUID().toString(), null);
    awaitRelease(staging, 2);

    admin()
        .get("/apps/" + staging + "/releases")
        .then()
        .body("size()", equalTo(2))
        .body("[0].description", org.hamcrest.Matchers.containsString("auto-deploy"));
  }
}

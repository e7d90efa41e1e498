package dev.slipway.promotion.promotions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.Topic;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.promotion.PromotionTargetFinished;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.events.release.ReleaseFinished;
import dev.slipway.events.release.ReleaseStatus;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import dev.slipway.testkit.TestTokens;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Promotions from staging to production: gates, approvals, serialisation per target, and completion
 * from the deploy-service's target events (published here by the test).
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class PromotionFlowTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Inject KafkaClientService kafka;
  private static final String DEPLOY = "urn:slipway:deploy-service";

  @Test
  void promotionWithEveryGateGreenIsRequestedOnceWithTheStagingDigestAndCompletes() {
    Flow f = new Flow(Map.of());
    String digest = f.greenStagingRelease(3);

    String id =
        admin()
            .body(Map.of("source", Map.of("app", f.staging)))
            .post("/pipelines/" + f.pipelineId + "/promotions")
            .then()
            .statusCode(201)
            .body("status", equalTo("pending"))
            .body("source.release", equalTo("v3"))
            .body("artifact_digest", equalTo(digest))
            .body("targets.app", equalTo(List.of(f.production)))
            .body(
                "gates.gate",
                equalTo(List.of("source_release", "tests", "approvals", "targets_free")))
            .body("gates.passed", everyItem(equalTo(true)))
            .body("requested_at", notNullValue())
            .extract()
            .path("id");

    ConsumerRecord<String, byte[]> record =
        TopicProbe.find(bootstrap(), Topic.PROMOTIONS.topicName(), f.pipelineId, PATIENCE);
    CloudEvent requested = TopicProbe.cloudEvent(record);
    assertEquals(EventType.PROMOTION_REQUESTED.type(), requested.type());
    SchemaValidation.assertValid(requested);
    PromotionRequested payload = EventCodec.decode(requested, PromotionRequested.class);
    assertEquals(digest, payload.artifactDigest());
    assertEquals(List.of(f.production), payload.targets());

    TestEvents.publish(
        DEPLOY,
        EventType.PROMOTION_TARGET_FINISHED,
        new PromotionTargetFinished(
            f.pipelineId, id, f.production, PromotionTargetStatus.SUCCEEDED, "rel-prod-1", null));
    await()
        .atMost(PATIENCE)
        .until(() -> "completed".equals(admin().get("/promotions/" + id).path("status")));
    admin()
        .get("/promotions/" + id)
        .then()
        .body("targets[0].status", equalTo("succeeded"))
        .body("targets[0].release_id", equalTo("rel-prod-1"))
        .body("completed_at", notNullValue());

    List<CloudEvent> events =
        TopicProbe.findAll(bootstrap(), Topic.PROMOTIONS.topicName(), f.pipelineId, 3, PATIENCE)
            .stream()
            .map(TopicProbe::cloudEvent)
            .toList();
    assertEquals(
        List.of(
            EventType.PROMOTION_REQUESTED.type(),
            EventType.PROMOTION_TARGET_FINISHED.type(),
            EventType.PROMOTION_COMPLETED.type()),
        events.stream().map(CloudEvent::type).toList());
    SchemaValidation.assertValid(events.get(2));
  }

  @Test
  void eachRedGateBlocksWithItsReasonAndTheAuthorCannotApprove() {
    Flow f = new Flow(Map.of("required_approvals", 1));
    String digest = f.build(TestRunStatus.FAILED);
    f.release(f.staging, 4, digest, ReleaseStatus.FAILED);

    String id =
        admin()
            .body(Map.of("source", Map.of("app", f.staging, "release", "v4")))
            .post("/pipelines/" + f.pipelineId + "/promotions")
            .then()
            .statusCode(201)
            .body("status", equalTo("pending"))
            .body("requested_at", nullValue())
            .body("gates.find { it.gate == 'source_release' }.passed", equalTo(false))
            .body(
                "gates.find { it.gate == 'source_release' }.reason",
                containsString("has not succeeded (failed)"))
            .body("gates.find { it.gate == 'tests' }.passed", equalTo(false))
            .body("gates.find { it.gate == 'tests' }.reason", containsString("is failed"))
            .body(
                "gates.find { it.gate == 'approvals' }.reason",
                equalTo("0 of 1 required approvals"))
            .body("gates.find { it.gate == 'targets_free' }.passed", equalTo(true))
            .extract()
            .path("id");

    admin()
        .post("/promotions/" + id + "/approvals")
        .then()
        .statusCode(403)
        .body("message", containsString("self-approval is off"));
    given()
        .auth()
        .oauth2(TestTokens.issue("developer").token())
        .post("/promotions/" + id + "/approvals")
        .then()
        .statusCode(201)
        .body("approvals.size()", equalTo(1))
        .body("gates.find { it.gate == 'approvals' }.passed", equalTo(true))
        .body("status", equalTo("pending"))
        .body("requested_at", nullValue());

    // Nothing was requested for this pipeline.
    org.junit.jupiter.api.Assertions.assertThrows(
        AssertionError.class,
        () ->
            TopicProbe.find(
                bootstrap(), Topic.PROMOTIONS.topicName(), f.pipelineId, Duration.ofSeconds(2)));
  }

  @Test
  void promotionOfAnArtifactNoBuildProducedIsRefusedAndNothingIsCreated() {
    Flow f = new Flow(Map.of());
    f.release(f.staging, 5, randomDigest(), ReleaseStatus.SUCCEEDED);
    admin()
        .body(Map.of("source", Map.of("app", f.staging, "release", "v5")))
        .post("/pipelines/" + f.pipelineId + "/promotions")
        .then()
        .statusCode(422)
        .body("field", equalTo("source.release"))
        .body("message", containsString("is unknown"));
    admin()
        .get("/pipelines/" + f.pipelineId + "/promotions")
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
  }

  @Test
  void promotionOfAReleaseNotReadYetAnswers503WithRetryAfterInsteadOfNoRelease() {
    Flow f = new Flow(Map.of());
    String digest = f.build(TestRunStatus.SUCCEEDED);
    KafkaConsumer<Object, Object> releases = kafka.getConsumer("releases");
    releases.pause().await().atMost(Duration.ofSeconds(10));
    try {
      // Staging was released a moment ago; this service has not read the event yet.
      TestEvents.publish(
          DEPLOY,
          EventType.RELEASE_FINISHED,
          new ReleaseFinished(
              f.pipelineId,
              f.staging,
              "rel-" + UUID.randomUUID(),
              1,
              digest,
              ReleaseStatus.SUCCEEDED,
              "Deploy v1",
              "build"));
      admin()
          .body(Map.of("source", Map.of("app", f.staging)))
          .post("/pipelines/" + f.pipelineId + "/promotions")
          .then()
          .statusCode(503)
          .header("Retry-After", "2")
          .body("field", equalTo("source.release"))
          .body("message", containsString("catching up"));
    } finally {
      releases.resume().await().atMost(Duration.ofSeconds(10));
    }
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                admin()
                        .body(Map.of("source", Map.of("app", f.staging)))
                        .post("/pipelines/" + f.pipelineId + "/promotions")
                        .statusCode()
                    == 201);
  }

  @Test
  void aWaitingPromotionIsRequestedAsSoonAsItsTestsPassWithoutWaitingForTheSweep() {
    // The sweep runs hourly in tests: only the test run's event can open the gate in time.
    Flow f = new Flow(Map.of());
    Flow.Built built = f.buildOnly();
    f.release(f.staging, 1, built.digest(), ReleaseStatus.SUCCEEDED);
    String id =
        admin()
            .body(Map.of("source", Map.of("app", f.staging)))
            .post("/pipelines/" + f.pipelineId + "/promotions")
            .then()
            .statusCode(201)
            .body("requested_at", nullValue())
            .body("gates.find { it.gate == 'tests' }.passed", equalTo(false))
            .extract()
            .path("id");

    f.tested(built, TestRunStatus.SUCCEEDED);

    await()
        .atMost(PATIENCE)
        .until(() -> admin().get("/promotions/" + id).path("requested_at") != null);
    admin()
        .get("/promotions/" + id)
        .then()
        .body("gates.find { it.gate == 'tests' }.passed", equalTo(true));
  }

  @Test
  void twoPromotionsToTheSameTargetAreSerialised() {
    Flow f = new Flow(Map.of());
    f.greenStagingRelease(7);
    String first = f.promote();
    String second =
        admin()
            .body(Map.of("source", Map.of("app", f.staging)))
            .post("/pipelines/" + f.pipelineId + "/promotions")
            .then()
            .statusCode(201)
            .body("requested_at", nullValue())
            .body("gates.find { it.gate == 'targets_free' }.passed", equalTo(false))
            .body(
                "gates.find { it.gate == 'targets_free' }.reason",
                equalTo(f.production + " is being promoted by promotion " + first))
            .extract()
            .path("id");

    TestEvents.publish(
        DEPLOY,
        EventType.PROMOTION_TARGET_FINISHED,
        new PromotionTargetFinished(
            f.pipelineId,
            first,
            f.production,
            PromotionTargetStatus.FAILED,
            null,
            "release phase failed"));
    await()
        .atMost(PATIENCE)
        .until(() -> admin().get("/promotions/" + second).path("requested_at") != null);
    admin()
        .get("/promotions/" + first)
        .then()
        .body("status", equalTo("completed"))
        .body("targets[0].status", equalTo("failed"))
        .body("targets[0].error", equalTo("release phase failed"));
    long requested =
        TopicProbe.findAll(bootstrap(), Topic.PROMOTIONS.topicName(), f.pipelineId, 4, PATIENCE)
            .stream()
            .map(TopicProbe::cloudEvent)
            .filter(e -> e.type().equals(EventType.PROMOTION_REQUESTED.type()))
            .count();
    assertEquals(2, requested);
  }

  @Test
  void twoPromotionsRequestedAtTheSameMomentNeverBothShip() throws Exception {
    Flow f = new Flow(Map.of());
    f.greenStagingRelease(2);
    java.util.concurrent.Callable<Object> promote =
        () ->
            admin()
                .body(Map.of("source", Map.of("app", f.staging)))
                .post("/pipelines/" + f.pipelineId + "/promotions")
                .then()
                .statusCode(201)
                .extract()
                .path("requested_at");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<Object>> racing = pool.invokeAll(List.of(promote, promote));
      long requested = 0;
      for (var r : racing) {
        if (r.get() != null) {
          requested++;
        }
      }
      assertEquals(1, requested, "exactly one of two simultaneous promotions to one target ships");
    } finally {
      pool.shutdown();
    }
  }

  /** A pipeline with a staging and a production app, and helpers to script its history. */
  private static final class Flow {
    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String staging = "st-" + suffix;
    final String production = "pr-" + suffix;
    final String pipelineId;

    Flow(Map<String, Object> promotionPolicy) {
      pipelineId =
          admin()
              .body(
                  Map.of(
                      "name",
                      "flow-" + suffix,
                      "repository_url",
                      "https://github.com/acme/flow",
                      "couplings",
                      List.of(
                          Map.of("stage", "staging", "app_name", staging),
                          Map.of("stage", "production", "app_name", production)),
                      "promotion_policy",
                      promotionPolicy))
              .post("/pipelines")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
    }

    /** A build this test announced: its id, commit and artifact. */
    record Built(String buildId, String sha, String digest) {}

    /** A succeeded build of a new commit, its test run with {@code tests}; returns the digest. */
    String build(TestRunStatus tests) {
      Built built = buildOnly();
      tested(built, tests);
      return built.digest();
    }

    /** A succeeded build of a new commit whose tests have not run yet. */
    Built buildOnly() {
      Built built =
          new Built(
              "build-" + UUID.randomUUID(),
              HexFormat.of().formatHex(randomBytes(20)),
              randomDigest());
      TestEvents.publish(
          "urn:slipway:build-service",
          EventType.BUILD_FINISHED,
          new BuildFinished(
              pipelineId,
              built.buildId(),
              built.sha(),
              "main",
              null,
              false,
              BuildStatus.SUCCEEDED,
              built.digest(),
              null,
              null,
              Instant.now()));
      await().atMost(PATIENCE).until(() -> rows("build_view", "build_id", built.buildId()) == 1);
      return built;
    }

    /** The test run of {@code built} finished with {@code tests}. */
    void tested(Built built, TestRunStatus tests) {
      String testRunId = "run-" + UUID.randomUUID();
      TestEvents.publish(
          "urn:slipway:test-service",
          EventType.TESTSUITERUN_FINISHED,
          new TestRunFinished(
              pipelineId, testRunId, 1, built.buildId(), built.sha(), "main", tests, null));
      await().atMost(PATIENCE).until(() -> rows("test_run_view", "test_run_id", testRunId) == 1);
    }

    void release(String app, int version, String digest, ReleaseStatus status) {
      String releaseId = "rel-" + UUID.randomUUID();
      TestEvents.publish(
          DEPLOY,
          EventType.RELEASE_FINISHED,
          new ReleaseFinished(
              pipelineId, app, releaseId, version, digest, status, "Deploy v" + version, "build"));
      await().atMost(PATIENCE).until(() -> rows("release_view", "release_id", releaseId) == 1);
    }

    String greenStagingRelease(int version) {
      String digest = build(TestRunStatus.SUCCEEDED);
      release(staging, version, digest, ReleaseStatus.SUCCEEDED);
      return digest;
    }

    String promote() {
      return admin()
          .body(Map.of("source", Map.of("app", staging)))
          .post("/pipelines/" + pipelineId + "/promotions")
          .then()
          .statusCode(201)
          .body("requested_at", notNullValue())
          .extract()
          .path("id");
    }
  }

  private static RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN).contentType(ContentType.JSON);
  }

  private static String bootstrap() {
    return SlipwayInfrastructure.get().bootstrapServers();
  }

  private static String randomDigest() {
    return "sha256:" + HexFormat.of().formatHex(randomBytes(32));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static long rows(String table, String column, String value) throws Exception {
    var infra = SlipwayInfrastructure.get();
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM promotion_service." + table + " WHERE " + column + " = ?")) {
      s.setString(1, value);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}

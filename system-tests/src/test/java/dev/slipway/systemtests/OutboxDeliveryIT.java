package dev.slipway.systemtests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.Topic;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.local.LocalInfrastructure;
import dev.slipway.local.ServiceProcess;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An event recorded through the promotion-service's outbox (a child JVM) reaches the consumer
 * application of these tests exactly once in effect: across a crash of the producer between commit
 * and publish, a redelivery of the same record, and a poison message in between.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class OutboxDeliveryIT {

  private static final String GROUP = "system-tests";
  private static final Path SERVICES = Path.of(System.getProperty("slipway.services.dir", ".."));
  private static final Path PROMOTION_JAR =
      SERVICES.resolve("promotion-service/target/quarkus-app/quarkus-run.jar");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final LocalInfrastructure infra = SlipwayInfrastructure.get();

  @BeforeAll
  static void createDeadLetterTopic() {
    SlipwayInfrastructure.get().topics().ensureDeadLetterTopic(GROUP);
  }

  @Test
  void relayKilledBetweenCommitAndPublishPublishesAfterRestart() throws Exception {
    String pipelineId;
    try (ServiceProcess promotion = startPromotionService(false)) {
      pipelineId = createPipeline(promotion, "crash-" + suffix());
      // Committed, not published: the relay is off, as if the process died right after commit.
      assertEquals(
          1,
          count(
              "promotion_service.outbox_event WHERE event_key = ? AND published_at IS NULL",
              pipelineId));
      Thread.sleep(1000);
      assertEquals(0, received(pipelineId));
      promotion.kill();
    }
    try (ServiceProcess restarted = startPromotionService(true)) {
      await().atMost(PATIENCE).until(() -> received(pipelineId) == 1);
      assertEquals(
          0,
          count(
              "promotion_service.outbox_event WHERE event_key = ? AND published_at IS NULL",
              pipelineId));
    }
    assertEquals(1, received(pipelineId));
  }

  @Test
  void serviceRestartedAfterKillNineConsumesAtOnceWithStaticMembership() throws Exception {
    Map<String, String> membership =
        Map.of(
            "slipway.kafka.instance-id",
            "it-" + suffix(),
            // Long on purpose: without static membership the restarted service would read
            // nothing until the killed member's session expired, 2 minutes after the kill.
            "slipway.kafka.session-timeout",
            "120s");
    String before = UUID.randomUUID().toString();
    try (ServiceProcess promotion = startPromotionService(true, membership)) {
      sendBuildQueued(before);
      await().atMost(PATIENCE).until(() -> buildsSeen(before) == 1);
      promotion.kill();
    }
    String after = UUID.randomUUID().toString();
    sendBuildQueued(after);
    try (ServiceProcess restarted = startPromotionService(true, membership)) {
      // Ready well within a minute of the kill, so a dynamic member could not have read it yet;
      // how quickly it really happens is measured by the benchmark, not here.
      await().atMost(Duration.ofSeconds(40)).until(() -> buildsSeen(after) == 1);
    }
  }

  @Test
  void sameRecordDeliveredTwiceChangesStateOnce() throws Exception {
    String pipelineId;
    try (ServiceProcess promotion = startPromotionService(true)) {
      pipelineId = createPipeline(promotion, "dup-" + suffix());
      await().atMost(PATIENCE).until(() -> received(pipelineId) == 1);
    }
    ConsumerRecord<String, byte[]> original =
        TopicProbe.find(
            infra.bootstrapServers(), Topic.PIPELINES.topicName(), pipelineId, PATIENCE);
    String originalId = TopicProbe.header(original, "ce_id");

    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  original.topic(), null, original.key(), original.value(), original.headers()))
          .get();
    }
    // Same key, same partition: once the later event is applied, the redelivery was handled.
    String laterId = sendValidEvent(pipelineId);
    await().atMost(PATIENCE).until(() -> receivedEvent(laterId) == 1);

    assertEquals(1, receivedEvent(originalId), "the redelivered event ran its handler again");
    assertEquals(2, received(pipelineId));
  }

  @Test
  void malformedMessageLandsOnTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
    String pipelineId = UUID.randomUUID().toString();
    byte[] garbage = ("not a CloudEvent " + pipelineId).getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(Topic.PIPELINES.topicName(), pipelineId, garbage)).get();
    }
    String afterId = sendValidEvent(pipelineId);
    await().atMost(PATIENCE).until(() -> receivedEvent(afterId) == 1);

    ConsumerRecord<String, byte[]> dead =
        TopicProbe.find(
            infra.bootstrapServers(), Topic.deadLetterTopic(GROUP), pipelineId, PATIENCE);
    assertEquals(
        new String(garbage, StandardCharsets.UTF_8),
        new String(dead.value(), StandardCharsets.UTF_8));
    String reason = TopicProbe.header(dead, "dead-letter-reason");
    assertNotNull(reason, "the dead letter says why");
    assertTrue(
        reason.contains("ce_"), "the reason names the missing CloudEvents attribute: " + reason);
    assertEquals(1, received(pipelineId));
  }

  @Test
  void eventOfATypeThisConsumerDoesNotKnowIsSkippedNotDeadLettered() throws Exception {
    String pipelineId = UUID.randomUUID().toString();
    ProducerRecord<String, byte[]> future =
        new ProducerRecord<>(
            Topic.PIPELINES.topicName(), pipelineId, "{}".getBytes(StandardCharsets.UTF_8));
    Map.of(
            "ce_specversion", "1.0",
            "ce_id", UUID.randomUUID().toString(),
            "ce_source", "urn:slipway:a-newer-service",
            "ce_type", "dev.cdeventsx.slipway-pipeline.archived.0.1.0",
            "ce_time", Instant.now().toString(),
            "content-type", "application/json")
        .forEach((k, v) -> future.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(future).get();
    }
    String afterId = sendValidEvent(pipelineId);
    await().atMost(PATIENCE).until(() -> receivedEvent(afterId) == 1);

    assertEquals(1, received(pipelineId));
    assertNotDeadLettered(pipelineId);
  }

  @Test
  void pipelineCreatedThenDeletedReachesAnotherConsumerAndEndsInATombstone() throws Exception {
    String pipelineId;
    try (ServiceProcess promotion = startPromotionService(true)) {
      pipelineId = createPipeline(promotion, "gone-" + suffix());
      await().atMost(PATIENCE).until(() -> received(pipelineId) == 1);
      given()
          .baseUri(promotion.baseUri().toString())
          .auth()
          .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
          .when()
          .delete("/pipelines/" + pipelineId)
          .then()
          .statusCode(204);
      await().atMost(PATIENCE).until(() -> received(pipelineId) == 2);
    }
    assertEquals(
        1,
        count(
            "system_tests.received_event WHERE event_type = 'dev.cdeventsx.slipway-pipeline.deleted.0.1.0' AND pipeline_id = ?",
            pipelineId));
    List<ConsumerRecord<String, byte[]>> records =
        TopicProbe.findAll(
            infra.bootstrapServers(), Topic.PIPELINES.topicName(), pipelineId, 3, PATIENCE);
    assertEquals(null, records.get(2).value(), "deleting a pipeline ends its key in a tombstone");
    // The tombstone was consumed without effect, not dead-lettered.
    assertNotDeadLettered(pipelineId);
  }

  private void assertNotDeadLettered(String pipelineId) {
    assertThrows(
        AssertionError.class,
        () ->
            TopicProbe.find(
                infra.bootstrapServers(),
                Topic.deadLetterTopic(GROUP),
                pipelineId,
                Duration.ofSeconds(3)),
        "nothing of " + pipelineId + " went to the dead-letter topic");
  }

  private ServiceProcess startPromotionService(boolean relay) {
    return startPromotionService(relay, Map.of());
  }

  private ServiceProcess startPromotionService(boolean relay, Map<String, String> extra) {
    Map<String, String> config =
        new HashMap<>(SlipwayInfrastructure.serviceConfig(infra, "promotion-service"));
    config.put("slipway.outbox.relay.enabled", Boolean.toString(relay));
    config.putAll(extra);
    return ServiceProcess.start(
        "promotion-service",
        PROMOTION_JAR,
        0,
        config,
        Path.of("target", "promotion-service.log"),
        PATIENCE);
  }

  private static String createPipeline(ServiceProcess promotion, String name) {
    return given()
        .baseUri(promotion.baseUri().toString())
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("name", name, "repository_url", "https://github.com/acme/" + name))
        .when()
        .post("/pipelines")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Publishes a valid pipeline event for {@code pipelineId} straight to Kafka; returns its id. */
  private String sendValidEvent(String pipelineId) throws Exception {
    PipelineSnapshot snapshot =
        new PipelineSnapshot(
            pipelineId,
            "later-" + suffix(),
            "https://github.com/acme/later",
            Forge.GITHUB,
            "main",
            List.of(),
            new PipelineSnapshot.AutoDeploy(true, "main", true),
            new PipelineSnapshot.ReviewApps(false, true, 5),
            Instant.now());
    CloudEvent event =
        EventCodec.encode(EventType.PIPELINE_UPDATED, "urn:slipway:system-tests", snapshot);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topic.PIPELINES.topicName(), pipelineId, event.data());
    event
        .binaryHeaders()
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(record).get();
    }
    return event.id();
  }

  /** Publishes a build.queued event, which the promotion-service records in its build view. */
  private void sendBuildQueued(String buildId) throws Exception {
    CloudEvent event =
        EventCodec.encode(
            EventType.BUILD_QUEUED,
            "urn:slipway:system-tests",
            new BuildQueued(
                UUID.randomUUID().toString(),
                buildId,
                "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4",
                "main",
                null,
                false,
                Instant.now()));
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topic.BUILDS.topicName(), buildId, event.data());
    event
        .binaryHeaders()
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(record).get();
    }
  }

  private long buildsSeen(String buildId) throws Exception {
    return count("promotion_service.build_view WHERE build_id = ?", buildId);
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties config = new Properties();
    config.putAll(SlipwayInfrastructure.testClientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private long received(String pipelineId) throws Exception {
    return count("system_tests.received_event WHERE pipeline_id = ?", pipelineId);
  }

  private long receivedEvent(String eventId) throws Exception {
    return count("system_tests.received_event WHERE event_id = ?", eventId);
  }

  private long count(String fromWhere, String value) throws Exception {
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + fromWhere)) {
      s.setString(1, value);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.slipway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.environment.EnvironmentKind;
import dev.slipway.events.environment.EnvironmentStatus;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.pipeline.Stage;
import dev.slipway.events.promotion.PromotionStatus;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.events.release.ReleaseStatus;
import dev.slipway.events.testrun.TestRunStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Encoding builds the CDEvents document Slipway promises, and decoding trusts nothing else. */
class EventCodecTest {

  @ParameterizedTest
  @EnumSource(EventType.class)
  void encodeThenDecodeGivesBackTheSamePayload(EventType type) {
    EventPayload payload = Samples.of(type);

    CloudEvent event = EventCodec.encode(type, Samples.SOURCE, payload);

    assertEquals(payload, EventCodec.decode(event));
    assertEquals(payload, EventCodec.decode(event, type.payloadType()));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void decodingSurvivesTheTripThroughKafkaHeaders(EventType type) {
    CloudEvent sent = EventCodec.encode(type, Samples.SOURCE, Samples.of(type));

    CloudEvent received = CloudEvent.fromBinaryHeaders(sent.binaryHeaders(), sent.data());

    assertEquals(sent, received);
    assertEquals(Samples.of(type), EventCodec.decode(received));
  }

  @Test
  void encodedEnvelopeCarriesTypeSourceSubjectAndPipelineKey() throws Exception {
    BuildFinished payload = (BuildFinished) Samples.of(EventType.BUILD_FINISHED);
    Instant before = Instant.now().minusSeconds(1);

    CloudEvent event =
        EventCodec.encode(EventType.BUILD_FINISHED, "urn:slipway:build-service", payload);

    assertEquals("dev.cdevents.build.finished.0.3.0", event.type());
    assertEquals("urn:slipway:build-service", event.source());
    assertEquals(Samples.BUILD, event.subject());
    assertEquals(CloudEvent.JSON, event.dataContentType());
    assertEquals(Map.of("partitionkey", Samples.PIPELINE), event.extensions());
    assertEquals(Samples.PIPELINE, event.partitionKey().orElseThrow());
    assertTrue(event.time().isAfter(before) && event.time().isBefore(before.plusSeconds(10)));
    assertEquals(36, event.id().length(), "a UUID");
  }

  @Test
  void dataIsACdEventsDocumentMirroringTheEnvelope() throws Exception {
    CloudEvent event =
        EventCodec.encode(
            EventType.BUILD_FINISHED,
            "urn:slipway:build-service",
            Samples.of(EventType.BUILD_FINISHED));

    JsonNode data = EventCodec.mapper().readTree(event.data());

    assertEquals("0.5.1", data.at("/context/specversion").asText());
    assertEquals(event.id(), data.at("/context/id").asText());
    assertEquals(event.source(), data.at("/context/source").asText());
    assertEquals(event.type(), data.at("/context/type").asText());
    assertEquals(event.time(), Instant.parse(data.at("/context/timestamp").asText()));
    assertEquals(Samples.BUILD, data.at("/subject/id").asText());
    assertEquals(event.source(), data.at("/subject/source").asText());
    assertFalse(data.at("/subject").has("type"), "CDEvents 0.5 removed subject.type");
    assertEquals(
        "pkg:oci/" + Samples.PIPELINE + "@" + payloadDigest(event).replace(":", "%3A"),
        data.at("/subject/content/artifactId").asText());
    assertEquals(1, data.at("/subject/content").size(), "only official fields in subject.content");
    assertEquals("application/json", data.at("/customDataContentType").asText());
    JsonNode content = data.at("/customData");
    assertEquals(Samples.PIPELINE, content.get("pipeline_id").asText());
    assertEquals("succeeded", content.get("status").asText());
    assertEquals("2026-03-14T09:26:53.589Z", content.get("finished_at").asText());
    assertTrue(content.get("pr_number").isNull(), "nulls are written, not omitted");
    assertFalse(content.has("subject_id"), "the subject id is not a payload field");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void subjectIdIsThePayloadsNaturalId(EventType type) throws Exception {
    CloudEvent event = Samples.event(type);
    JsonNode data = EventCodec.mapper().readTree(event.data());

    assertEquals(Samples.of(type).subjectId(), event.subject());
    assertEquals(event.subject(), data.at("/subject/id").asText());
    assertFalse(event.subject().isBlank());
  }

  @Test
  void statusesAndKindsTravelAsHerokusLowercaseWords() throws Exception {
    List<Class<? extends Enum<?>>> enums =
        List.of(
            BuildStatus.class,
            TestRunStatus.class,
            ReleaseStatus.class,
            EnvironmentKind.class,
            EnvironmentStatus.class,
            PromotionStatus.class,
            PromotionTargetStatus.class,
            Forge.class,
            Stage.class);
    for (Class<? extends Enum<?>> type : enums) {
      for (Enum<?> constant : type.getEnumConstants()) {
        String json = EventCodec.mapper().writeValueAsString(constant);
        String word = constant.name().toLowerCase(Locale.ROOT);

        assertEquals('"' + word + '"', json);
        assertSame(constant, EventCodec.mapper().readValue(json, type));
      }
    }
  }

  @Test
  void encodingAPayloadOfTheWrongRecordIsRefused() {
    EventPayload pushed = Samples.of(EventType.CHANGE_PUSHED);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EventCodec.encode(EventType.CHANGE_CREATED, Samples.SOURCE, pushed));
    assertTrue(e.getMessage().contains("PullRequestChange"), e.getMessage());
  }

  @Test
  void encodingWithoutASourceIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> EventCodec.encode(EventType.BUILD_QUEUED, " ", Samples.of(EventType.BUILD_QUEUED)));
  }

  @Test
  void encodingTwiceGivesDistinctIds() {
    EventPayload payload = Samples.of(EventType.PIPELINE_DELETED);

    assertNotEquals(
        EventCodec.encode(EventType.PIPELINE_DELETED, Samples.SOURCE, payload).id(),
        EventCodec.encode(EventType.PIPELINE_DELETED, Samples.SOURCE, payload).id());
  }

  @Test
  void encodingWithAGivenIdAndTimeIsDeterministic() {
    assertEquals(
        Samples.event(EventType.RELEASE_CREATED), Samples.event(EventType.RELEASE_CREATED));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "{\"context\":", "[1,2]", "\u0000\u0001garbage", "42"})
  void decodingGarbageBytesThrowsInvalidEventException(String garbage) {
    CloudEvent event =
        Samples.withData(
            Samples.event(EventType.BUILD_FINISHED), garbage.getBytes(StandardCharsets.UTF_8));

    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
    assertTrue(e.getMessage().contains(event.id()), e.getMessage());
  }

  @Test
  void decodingDataWithoutContentNamesWhatIsMissing() {
    CloudEvent event =
        Samples.withData(
            Samples.event(EventType.BUILD_FINISHED),
            "{\"context\":{},\"subject\":{\"id\":\"x\"}}".getBytes(StandardCharsets.UTF_8));

    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
    assertTrue(e.getMessage().contains("customData"), e.getMessage());
  }

  @Test
  void decodingContentWithoutARequiredFieldNamesTheField() {
    CloudEvent event =
        Samples.withData(
            Samples.event(EventType.BUILD_FINISHED),
            "{\"customData\":{\"pipeline_id\":\"p\"}}".getBytes(StandardCharsets.UTF_8));

    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
    assertTrue(e.getMessage().contains("required"), e.getMessage());
  }

  @Test
  void decodingAnUnknownTypeIsRefused() {
    CloudEvent event =
        new CloudEvent(
            "1",
            "/elsewhere",
            "dev.cdevents.artifact.deleted.0.2.0",
            null,
            Samples.AT,
            null,
            "{}".getBytes(StandardCharsets.UTF_8),
            Map.of());

    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
    assertEquals("unknown event type dev.cdevents.artifact.deleted.0.2.0", e.getMessage());
  }

  @Test
  void decodingAsAnotherPayloadRecordIsRefused() {
    CloudEvent event = Samples.event(EventType.BUILD_FINISHED);

    InvalidEventException e =
        assertThrows(
            InvalidEventException.class, () -> EventCodec.decode(event, PullRequestChange.class));
    assertTrue(e.getMessage().contains("BuildFinished"), e.getMessage());
  }

  @Test
  void decodingAsTheCommonInterfaceIsAllowed() {
    CloudEvent event = Samples.event(EventType.BUILD_FINISHED);

    assertEquals(
        Samples.of(EventType.BUILD_FINISHED), EventCodec.decode(event, EventPayload.class));
  }

  @Test
  void decodingDataWhoseContextContradictsTheEnvelopeIsRefused() {
    CloudEvent finished = Samples.event(EventType.BUILD_FINISHED);
    CloudEvent relabelled =
        new CloudEvent(
            finished.id(),
            finished.source(),
            EventType.BUILD_STARTED.type(),
            finished.subject(),
            finished.time(),
            finished.dataContentType(),
            finished.data(),
            finished.extensions());

    assertThrows(InvalidEventException.class, () -> EventCodec.decode(relabelled));
  }

  @Test
  void decodingNonJsonDataIsRefusedButJsonVariantsAreRead() {
    CloudEvent json = Samples.event(EventType.PIPELINE_DELETED);
    CloudEvent xml = withContentType(json, "application/xml");
    CloudEvent jsonWithCharset = withContentType(json, "application/json; charset=utf-8");
    CloudEvent cdeventsJson = withContentType(json, "application/cdevents+json");

    assertThrows(InvalidEventException.class, () -> EventCodec.decode(xml));
    assertEquals(Samples.of(EventType.PIPELINE_DELETED), EventCodec.decode(jsonWithCharset));
    assertEquals(Samples.of(EventType.PIPELINE_DELETED), EventCodec.decode(cdeventsJson));
  }

  @Test
  void timestampsWithOffsetsAreReadAsInstants() {
    String data =
        "{\"customData\":{\"pipeline_id\":\"p\",\"build_id\":\"b\","
            + "\"commit_sha\":\""
            + Samples.SHA
            + "\",\"branch\":\"main\",\"fork\":false,"
            + "\"started_at\":\"2026-03-14T11:26:53+02:00\"}}}";
    CloudEvent event =
        Samples.withData(
            Samples.event(EventType.BUILD_STARTED), data.getBytes(StandardCharsets.UTF_8));

    dev.slipway.events.build.BuildStarted started =
        EventCodec.decode(event, dev.slipway.events.build.BuildStarted.class);

    assertEquals(Instant.parse("2026-03-14T09:26:53Z"), started.startedAt());
    assertEquals(null, started.prNumber());
  }

  @Test
  void encodedTimesAreMillisecondPrecise() {
    CloudEvent event =
        EventCodec.encode(EventType.PIPELINE_UPDATED, Samples.SOURCE, Samples.pipeline());

    assertEquals(0, event.time().getNano() % Duration.ofMillis(1).toNanos());
  }

  @Test
  void payloadListsAreImmutableCopies() {
    List<PipelineSnapshot.Coupling> couplings =
        new java.util.ArrayList<>(Samples.pipeline().couplings());
    PipelineSnapshot snapshot =
        new PipelineSnapshot(
            Samples.PIPELINE,
            "shop",
            Samples.REPO,
            Forge.GITLAB,
            "main",
            couplings,
            new PipelineSnapshot.AutoDeploy(false, "main", false),
            new PipelineSnapshot.ReviewApps(false, false, 1),
            Samples.AT);

    couplings.clear();

    assertEquals(3, snapshot.couplings().size());
    assertThrows(UnsupportedOperationException.class, () -> snapshot.couplings().clear());
  }

  private static String payloadDigest(CloudEvent event) {
    return ((BuildFinished) EventCodec.decode(event)).artifactDigest();
  }

  private static CloudEvent withContentType(CloudEvent event, String contentType) {
    return new CloudEvent(
        event.id(),
        event.source(),
        event.type(),
        event.subject(),
        event.time(),
        contentType,
        event.data(),
        event.extensions());
  }
}

package dev.slipway.events;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JSON Schemas accept what the codec produces and refuse what consumers must not trust. */
class EventSchemasTest {

  private static final JsonObject DEFS = SchemaValidation.load(SchemaValidation.DEFS);

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyTypeHasASchemaAndItsSampleValidates(EventType type) {
    JsonObject data = data(Samples.event(type));

    OutputUnit result = SchemaValidation.validate(type, data);

    assertTrue(result.getValid(), () -> type + " sample rejected: " + result.toJson());
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaIdIsTheResourceNameUnderTheSchemasBaseUri(EventType type) {
    JsonObject schema = SchemaValidation.load(type.schemaResource());

    assertEquals(SchemaValidation.BASE_URI + type.type() + ".json", schema.getString("$id"));
    assertEquals("https://json-schema.org/draft/2020-12/schema", schema.getString("$schema"));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyRequiredContentFieldIsRequiredByBothTheSchemaAndTheDecoder(EventType type) {
    for (String field : requiredContentFields(type)) {
      CloudEvent event = withContent(Samples.event(type), content -> content.remove(field));

      assertFalse(
          SchemaValidation.validate(type, data(event)).getValid(),
          () -> type + " schema accepted content without " + field);
      InvalidEventException e =
          assertThrows(
              InvalidEventException.class,
              () -> EventCodec.decode(event),
              () -> type + " decoder accepted content without " + field);
      assertTrue(e.getMessage().contains(type.type()), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void optionalContentFieldsMayBeAbsentOrNullForBothTheSchemaAndTheDecoder(EventType type) {
    Set<String> optional = contentProperties(type);
    optional.removeAll(requiredContentFields(type));
    for (String field : optional) {
      for (Consumer<JsonObject> change :
          List.<Consumer<JsonObject>>of(c -> c.remove(field), c -> c.putNull(field))) {
        CloudEvent event = withContent(Samples.event(type), change);

        OutputUnit result = SchemaValidation.validate(type, data(event));
        assertTrue(result.getValid(), () -> type + " without " + field + ": " + result.toJson());
        assertDoesNotThrow(() -> EventCodec.decode(event), () -> type + " without " + field);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaContentPropertiesAreExactlyThePayloadRecordComponents(EventType type) {
    Set<String> components =
        Arrays.stream(type.payloadType().getRecordComponents())
            .map(c -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName()))
            .collect(Collectors.toSet());

    assertEquals(components, contentProperties(type));
  }

  @ParameterizedTest
  @EnumSource(
      value = EventType.class,
      names = {
        "BUILD_FINISHED",
        "TESTSUITERUN_FINISHED",
        "RELEASE_FINISHED",
        "ENVIRONMENT_CREATED"
      })
  void anUnknownStatusIsRejectedByBothTheSchemaAndTheDecoder(EventType type) {
    CloudEvent event = withContent(Samples.event(type), content -> content.put("status", "done"));

    assertFalse(SchemaValidation.validate(type, data(event)).getValid());
    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
    assertTrue(e.getMessage().contains("status"), e.getMessage());
  }

  @Test
  void aBadStatusInsideANestedListIsRejected() {
    CloudEvent event =
        withContent(
            Samples.event(EventType.PROMOTION_COMPLETED),
            content -> content.getJsonArray("targets").getJsonObject(1).put("status", "errored"));

    assertFalse(SchemaValidation.validate(EventType.PROMOTION_COMPLETED, data(event)).getValid());
    assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
  }

  @Test
  void aMissingNestedFieldIsRejected() {
    CloudEvent event =
        withContent(
            Samples.event(EventType.PIPELINE_UPDATED),
            content -> content.getJsonObject("review_apps").remove("stale_days"));

    assertFalse(SchemaValidation.validate(EventType.PIPELINE_UPDATED, data(event)).getValid());
    assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
  }

  @Test
  void malformedShasDigestsAndNumbersAreRejectedByTheSchema() {
    EventType type = EventType.BUILD_FINISHED;
    List<Consumer<JsonObject>> breakages =
        List.of(
            c -> c.put("commit_sha", "HEAD"),
            c -> c.put("artifact_digest", "md5:abc"),
            c -> c.put("pr_number", 0),
            c -> c.put("fork", "no"),
            c -> c.put("build_id", " "),
            c -> c.put("finished_at", "yesterday"));
    for (Consumer<JsonObject> breakage : breakages) {
      CloudEvent event = withContent(Samples.event(type), breakage);

      assertFalse(SchemaValidation.validate(type, data(event)).getValid(), data(event)::encode);
      assertThrows(InvalidEventException.class, () -> EventCodec.decode(event));
    }
  }

  @Test
  void theContextMustNameTheSchemasOwnTypeAndContextAndCustomDataBePresent() {
    JsonObject wrongType = data(Samples.event(EventType.BUILD_STARTED));
    wrongType.getJsonObject("context").put("type", EventType.BUILD_FINISHED.type());
    JsonObject noContext = data(Samples.event(EventType.BUILD_STARTED));
    noContext.remove("context");
    JsonObject noCustomData = data(Samples.event(EventType.BUILD_STARTED));
    noCustomData.remove("customData");

    assertFalse(SchemaValidation.validate(EventType.BUILD_STARTED, wrongType).getValid());
    assertFalse(SchemaValidation.validate(EventType.BUILD_STARTED, noContext).getValid());
    assertFalse(SchemaValidation.validate(EventType.BUILD_STARTED, noCustomData).getValid());
  }

  @Test
  void unknownFieldsAreAcceptedBecauseEvolutionIsAdditive() {
    JsonObject data = data(Samples.event(EventType.PIPELINE_CREATED));
    data.getJsonObject("context").put("chainId", "6b3e");
    data.getJsonObject("customData").put("region", "eu-west-1");
    data.getJsonObject("customData")
        .getJsonArray("couplings")
        .getJsonObject(0)
        .put("since", "2026-01-01");

    assertTrue(SchemaValidation.validate(EventType.PIPELINE_CREATED, data).getValid());
    CloudEvent event =
        Samples.withData(
            Samples.event(EventType.PIPELINE_CREATED),
            data.encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(Samples.pipeline(), EventCodec.decode(event));
  }

  @Test
  void everySchemaFileBelongsToAnEventTypeOrIsTheSharedDefinitions() {
    Set<String> resources =
        Arrays.stream(EventType.values())
            .map(EventType::schemaResource)
            .collect(Collectors.toCollection(HashSet::new));
    resources.add(SchemaValidation.DEFS);

    assertEquals(EventType.values().length + 1, resources.size());
    for (String payload :
        Arrays.stream(EventType.values())
            .map(t -> t.payloadType().getSimpleName())
            .collect(Collectors.toSet())) {
      assertNotNull(DEFS.getJsonObject("$defs").getJsonObject(payload), payload);
    }
  }

  private static JsonObject data(CloudEvent event) {
    return new JsonObject(new String(event.data(), StandardCharsets.UTF_8));
  }

  private static CloudEvent withContent(CloudEvent event, Consumer<JsonObject> change) {
    JsonObject data = data(event);
    change.accept(data.getJsonObject("customData"));
    return Samples.withData(event, data.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject contentSchema(EventType type) {
    return DEFS.getJsonObject("$defs").getJsonObject(type.payloadType().getSimpleName());
  }

  private static Set<String> contentProperties(EventType type) {
    return new LinkedHashSet<>(contentSchema(type).getJsonObject("properties").fieldNames());
  }

  private static List<String> requiredContentFields(EventType type) {
    JsonArray required = contentSchema(type).getJsonArray("required");
    return required.stream().map(String.class::cast).toList();
  }
}

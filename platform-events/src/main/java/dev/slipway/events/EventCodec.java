package dev.slipway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns payloads into CloudEvents and back. The data is a CDEvents v0.5.1 document that validates
 * against the official schema of its type, so that any CDEvents consumer can read Slipway's topics:
 *
 * <pre>{@code
 * {"context": {"specversion": "0.5.1", "id": ..., "source": ..., "type": ..., "timestamp": ...},
 *  "subject": {"id": ..., "source": ..., "content": {<official fields only>}},
 *  "customData": {<payload, snake_case>}, "customDataContentType": "application/json"}
 * }</pre>
 *
 * Slipway's own types are CDEvents custom events ({@code dev.cdeventsx.slipway-*}) of the same
 * shape, so there is one codec for every event and consumers read the payload from {@code
 * customData}.
 */
public final class EventCodec {

  /** The CDEvents specification version written into {@code context.specversion}. */
  public static final String CDEVENTS_VERSION = "0.5.1";

  /** The URI scheme of Slipway's event sources: {@code urn:slipway:<service>}. */
  private static final String SOURCE_PREFIX = "urn:slipway:";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          // The schemas refuse null for booleans and integers; decoding must refuse it as well.
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private EventCodec() {}

  /**
   * The mapper the codec uses: Java time as ISO-8601 strings, unknown properties ignored. It is
   * shared, so callers must not reconfigure it; use {@code mapper().copy()} for a variant.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Encodes a payload as a new event with a random id, the current time and the pipeline as key.
   */
  public static CloudEvent encode(EventType type, String source, EventPayload payload) {
    return encode(
        type,
        source,
        payload,
        UUID.randomUUID().toString(),
        // Milliseconds survive every consumer's clock type (JavaScript's Date included).
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Encodes a payload with a given id and time, for producers that must be able to rebuild the very
   * same event (an outbox relay retrying) and for tests.
   *
   * @throws IllegalArgumentException if the payload is not the type's payload record
   */
  public static CloudEvent encode(
      EventType type, String source, EventPayload payload, String id, Instant time) {
    if (type == null || payload == null) {
      throw new IllegalArgumentException("an event type and a payload are required");
    }
    if (!type.payloadType().isInstance(payload)) {
      throw new IllegalArgumentException(
          type.type()
              + " carries "
              + type.payloadType().getSimpleName()
              + ", not "
              + payload.getClass().getSimpleName());
    }
    absoluteUri(source);
    PayloadChecks.text(id, "id");
    PayloadChecks.present(time, "time");
    String subjectId = payload.subjectId();
    ObjectNode document = MAPPER.createObjectNode();
    ObjectNode context = document.putObject("context");
    context.put("specversion", CDEVENTS_VERSION);
    context.put("id", id);
    context.put("source", source);
    context.put("type", type.type());
    context.put("timestamp", time.toString());
    ObjectNode subject = document.putObject("subject");
    subject.put("id", subjectId);
    subject.put("source", source);
    subject.set("content", CdeventsContent.of(type, payload));
    document.set("customData", MAPPER.valueToTree(payload));
    document.put("customDataContentType", CloudEvent.JSON);
    try {
      return new CloudEvent(
          id,
          source,
          type.type(),
          subjectId,
          time,
          CloudEvent.JSON,
          MAPPER.writeValueAsBytes(document),
          Map.of(CloudEvent.PARTITION_KEY, payload.pipelineId()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + type.type(), e);
    }
  }

  /**
   * Decodes the payload of an event whose type Slipway knows.
   *
   * @throws InvalidEventException for an unknown type, non-JSON or malformed data, or content that
   *     lacks a required field
   */
  public static EventPayload decode(CloudEvent event) {
    return decode(event, eventType(event).payloadType());
  }

  /**
   * Decodes the payload of an event, checking that its type carries {@code payloadType}.
   *
   * @throws InvalidEventException for an unknown type, a type carrying another payload, non-JSON or
   *     malformed data, or content that lacks a required field
   */
  public static <T extends EventPayload> T decode(CloudEvent event, Class<T> payloadType) {
    EventType type = eventType(event);
    if (!payloadType.isAssignableFrom(type.payloadType())) {
      throw new InvalidEventException(
          event.type()
              + " carries "
              + type.payloadType().getSimpleName()
              + ", not "
              + payloadType.getSimpleName());
    }
    if (!isJson(event.dataContentType())) {
      throw new InvalidEventException(
          "event " + event.id() + " has content type " + event.dataContentType() + ", not JSON");
    }
    JsonNode document;
    try {
      document = MAPPER.readTree(event.data());
    } catch (IOException e) {
      throw new InvalidEventException(
          "event " + event.id() + " (" + event.type() + ") has malformed JSON data", e);
    }
    if (document == null || !document.isObject()) {
      throw new InvalidEventException(
          "event " + event.id() + " (" + event.type() + ") data is not a JSON object");
    }
    JsonNode declaredType = document.path("context").path("type");
    if (declaredType.isTextual() && !declaredType.asText().equals(event.type())) {
      throw new InvalidEventException(
          "event "
              + event.id()
              + " has context.type "
              + declaredType.asText()
              + " but ce_type "
              + event.type());
    }
    JsonNode content = document.path("customData");
    if (!content.isObject()) {
      throw new InvalidEventException(
          "event " + event.id() + " (" + event.type() + ") has no customData object");
    }
    try {
      return payloadType.cast(MAPPER.treeToValue(content, type.payloadType()));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidEventException(
          "event " + event.id() + " (" + event.type() + ") has invalid content: " + rootMessage(e),
          e);
    }
  }

  /** The event source of a Slipway service, an absolute URI: {@code urn:slipway:<service>}. */
  public static String sourceOf(String service) {
    PayloadChecks.text(service, "service");
    return SOURCE_PREFIX + service;
  }

  private static void absoluteUri(String source) {
    PayloadChecks.text(source, "source");
    try {
      if (!new URI(source).isAbsolute()) {
        throw new IllegalArgumentException("source is not an absolute URI: " + source);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("source is not a URI: " + source, e);
    }
  }

  private static EventType eventType(CloudEvent event) {
    if (event == null) {
      throw new InvalidEventException("no event");
    }
    return EventType.fromType(event.type())
        .orElseThrow(() -> new InvalidEventException("unknown event type " + event.type()));
  }

  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals(CloudEvent.JSON)
        || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
  }

  // Jackson wraps the records' own messages ("buildId is required") in several layers.
  private static String rootMessage(Exception e) {
    String at = "";
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference step : mapping.getPath()) {
        if (step.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
        } else if (step.getIndex() >= 0) {
          path.append('[').append(step.getIndex()).append(']');
        }
      }
      at = path.length() == 0 ? "" : " (at " + path + ")";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root instanceof JsonProcessingException json
            ? json.getOriginalMessage()
            : root.getMessage();
    return (message == null ? root.getClass().getSimpleName() : message) + at;
  }
}

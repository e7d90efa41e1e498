package dev.slipway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope maps to and from the Kafka binding's headers, refusing incomplete events. */
class CloudEventTest {

  private static final byte[] DATA = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  private static CloudEvent event() {
    return new CloudEvent(
        "7c2b",
        "/slipway/build-service",
        EventType.BUILD_QUEUED.type(),
        "b-1",
        Instant.parse("2026-03-14T09:26:53.589Z"),
        CloudEvent.JSON,
        DATA,
        Map.of("partitionkey", "p-1", "traceparent", "00-0af7-b7ad-01"));
  }

  @Test
  void binaryHeadersFollowTheKafkaProtocolBinding() {
    Map<String, String> headers = event().binaryHeaders();

    assertEquals(
        List.of(
            "ce_specversion",
            "ce_id",
            "ce_source",
            "ce_type",
            "ce_time",
            "ce_subject",
            "content-type",
            "ce_partitionkey",
            "ce_traceparent"),
        List.copyOf(headers.keySet()));
    assertEquals("1.0", headers.get("ce_specversion"));
    assertEquals("7c2b", headers.get("ce_id"));
    assertEquals("/slipway/build-service", headers.get("ce_source"));
    assertEquals("dev.cdevents.build.queued.0.3.0", headers.get("ce_type"));
    assertEquals("2026-03-14T09:26:53.589Z", headers.get("ce_time"));
    assertEquals("b-1", headers.get("ce_subject"));
    assertEquals("application/json", headers.get("content-type"));
    assertEquals("p-1", headers.get("ce_partitionkey"));
  }

  @Test
  void binaryHeadersRoundTrip() {
    CloudEvent event = event();

    assertEquals(event, CloudEvent.fromBinaryHeaders(event.binaryHeaders(), DATA));
  }

  @Test
  void subjectHeaderIsOmittedWhenThereIsNoSubject() {
    CloudEvent event = new CloudEvent("1", "/s", "t", null, Instant.EPOCH, null, DATA, null);

    assertFalse(event.binaryHeaders().containsKey("ce_subject"));
    assertEquals(CloudEvent.JSON, event.dataContentType());
    assertEquals(Map.of(), event.extensions());
    assertEquals(event, CloudEvent.fromBinaryHeaders(event.binaryHeaders(), DATA));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time"})
  void missingRequiredAttributeIsRefusedByName(String header) {
    Map<String, String> headers = new HashMap<>(event().binaryHeaders());
    headers.remove(header);

    InvalidEventException e =
        assertThrows(
            InvalidEventException.class, () -> CloudEvent.fromBinaryHeaders(headers, DATA));
    assertEquals("missing CloudEvents attribute " + header, e.getMessage());
  }

  @Test
  void emptyTypeIsRefusedByName() {
    Map<String, String> headers = new HashMap<>(event().binaryHeaders());
    headers.put("ce_type", "");

    InvalidEventException e =
        assertThrows(
            InvalidEventException.class, () -> CloudEvent.fromBinaryHeaders(headers, DATA));
    assertTrue(e.getMessage().contains("ce_type"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.3", "1", "2.0"})
  void otherSpecVersionsAreRefused(String version) {
    Map<String, String> headers = new HashMap<>(event().binaryHeaders());
    headers.put("ce_specversion", version);

    InvalidEventException e =
        assertThrows(
            InvalidEventException.class, () -> CloudEvent.fromBinaryHeaders(headers, DATA));
    assertTrue(e.getMessage().contains("ce_specversion"), e.getMessage());
    assertTrue(e.getMessage().contains(version), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2026-03-14", "2026-03-14T09:26:53", "1710408413"})
  void unparsableTimeIsRefusedByName(String time) {
    Map<String, String> headers = new HashMap<>(event().binaryHeaders());
    headers.put("ce_time", time);

    InvalidEventException e =
        assertThrows(
            InvalidEventException.class, () -> CloudEvent.fromBinaryHeaders(headers, DATA));
    assertTrue(e.getMessage().contains("ce_time"), e.getMessage());
  }

  @Test
  void rfc3339TimesWithOffsetsAndLowercaseSeparatorsAreRead() {
    Map<String, String> headers = new HashMap<>(event().binaryHeaders());
    headers.put("ce_time", "2026-03-14t11:26:53.589+02:00");

    CloudEvent event = CloudEvent.fromBinaryHeaders(headers, DATA);

    assertEquals(Instant.parse("2026-03-14T09:26:53.589Z"), event.time());
  }

  @Test
  void sourceMustBeAUriReference() {
    Map<String, String> headers = new HashMap<>(event().binaryHeaders());
    headers.put("ce_source", "not a uri");

    InvalidEventException e =
        assertThrows(
            InvalidEventException.class, () -> CloudEvent.fromBinaryHeaders(headers, DATA));
    assertTrue(e.getMessage().contains("ce_source"), e.getMessage());
  }

  @Test
  void missingDataOrHeadersAreRefused() {
    Map<String, String> headers = event().binaryHeaders();

    assertThrows(InvalidEventException.class, () -> CloudEvent.fromBinaryHeaders(headers, null));
    assertThrows(InvalidEventException.class, () -> CloudEvent.fromBinaryHeaders(null, DATA));
  }

  @Test
  void foreignHeadersAreIgnoredAndHeaderNamesAreCaseInsensitive() {
    Map<String, String> headers = new HashMap<>();
    event().binaryHeaders().forEach((name, value) -> headers.put(name.toUpperCase(), value));
    headers.put("slipway-dlq-error", "boom");
    headers.put("traceparent", "w3c");

    assertEquals(event(), CloudEvent.fromBinaryHeaders(headers, DATA));
  }

  @Test
  void missingContentTypeMeansJson() {
    Map<String, String> headers = new HashMap<>(event().binaryHeaders());
    headers.remove("content-type");

    assertEquals(CloudEvent.JSON, CloudEvent.fromBinaryHeaders(headers, DATA).dataContentType());
  }

  @Test
  void invalidExtensionNamesAreRefused() {
    for (String name : List.of("Team", "trace-parent", "type", "")) {
      assertThrows(
          InvalidEventException.class,
          () -> new CloudEvent("1", "/s", "t", null, Instant.EPOCH, null, DATA, Map.of(name, "x")),
          name);
    }
  }

  @Test
  void equalityComparesDataByContent() {
    CloudEvent a = event();
    CloudEvent b = CloudEvent.fromBinaryHeaders(a.binaryHeaders(), DATA.clone());
    CloudEvent other = Samples.withData(a, "{}".getBytes(StandardCharsets.UTF_8));

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, other);
  }

  @Test
  void dataCannotBeChangedFromOutside() {
    byte[] data = DATA.clone();
    CloudEvent event = new CloudEvent("1", "/s", "t", null, Instant.EPOCH, null, data, Map.of());

    data[0] = 'X';
    event.data()[1] = 'Y';

    assertEquals(new String(DATA, StandardCharsets.UTF_8), new String(event.data()));
  }

  @Test
  void toStringShowsTheDataSizeNotTheData() {
    String text = event().toString();

    assertTrue(text.contains("data=" + DATA.length + " bytes"), text);
    assertFalse(text.contains("\"a\""), text);
  }
}

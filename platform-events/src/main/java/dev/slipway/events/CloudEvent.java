package dev.slipway.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A CloudEvents 1.0 event as Slipway carries it on Kafka in binary mode: the attributes travel as
 * {@code ce_*} headers, the data as the record value.
 *
 * <p>{@code time} is required (CloudEvents makes it optional) because ordering, DORA metrics and
 * stale review apps all depend on it. {@code data} is never null; the record keeps its own copy and
 * {@link #equals} compares it by content.
 */
public record CloudEvent(
    String id,
    String source,
    String type,
    String subject,
    Instant time,
    String dataContentType,
    byte[] data,
    Map<String, String> extensions) {

  public static final String SPEC_VERSION = "1.0";
  public static final String JSON = "application/json";

  /** The extension carrying the Kafka key: Slipway sets it to the pipeline id. */
  public static final String PARTITION_KEY = "partitionkey";

  /** Prefix of the attribute headers in the Kafka protocol binding. */
  public static final String HEADER_PREFIX = "ce_";

  /** The Kafka header carrying {@code datacontenttype}, which the binding does not prefix. */
  public static final String CONTENT_TYPE_HEADER = "content-type";

  // Attribute names are lowercase alphanumerics in CloudEvents 1.0.
  private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]+");
  private static final Set<String> MODELLED_ATTRIBUTES =
      Set.of("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data");

  public CloudEvent {
    id = required(id, "id");
    source = required(source, "source");
    type = required(type, "type");
    if (subject != null && subject.isEmpty()) {
      throw new InvalidEventException("invalid CloudEvents attribute ce_subject: empty");
    }
    if (time == null) {
      throw new InvalidEventException("missing CloudEvents attribute ce_time");
    }
    dataContentType = dataContentType == null ? JSON : dataContentType;
    if (data == null) {
      throw new InvalidEventException("missing CloudEvents data");
    }
    data = data.clone();
    try {
      new URI(source);
    } catch (URISyntaxException e) {
      throw new InvalidEventException(
          "invalid CloudEvents attribute ce_source: not a URI-reference: " + source, e);
    }
    extensions = checkedExtensions(extensions);
  }

  /** A copy of the data, so that the event stays immutable. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The Kafka key Slipway partitions by, if the producer set one. */
  public Optional<String> partitionKey() {
    return Optional.ofNullable(extensions.get(PARTITION_KEY));
  }

  /**
   * The Kafka headers of this event in binary mode, values to be written as UTF-8: {@code
   * ce_specversion}, {@code ce_id}, {@code ce_source}, {@code ce_type}, {@code ce_time} (RFC 3339,
   * UTC), {@code ce_subject} when set, {@code content-type} and {@code ce_<name>} per extension.
   */
  public Map<String, String> binaryHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HEADER_PREFIX + "specversion", SPEC_VERSION);
    headers.put(HEADER_PREFIX + "id", id);
    headers.put(HEADER_PREFIX + "source", source);
    headers.put(HEADER_PREFIX + "type", type);
    headers.put(HEADER_PREFIX + "time", DateTimeFormatter.ISO_INSTANT.format(time));
    if (subject != null) {
      headers.put(HEADER_PREFIX + "subject", subject);
    }
    headers.put(CONTENT_TYPE_HEADER, dataContentType);
    extensions.forEach((name, value) -> headers.put(HEADER_PREFIX + name, value));
    return Collections.unmodifiableMap(headers);
  }

  /**
   * Reads an event from Kafka headers (values decoded from UTF-8) and the record value. Header
   * names are matched case-insensitively; headers without the {@code ce_} prefix other than {@code
   * content-type} are ignored; a missing {@code content-type} means JSON.
   *
   * @throws InvalidEventException naming the attribute that is missing or invalid
   */
  public static CloudEvent fromBinaryHeaders(Map<String, String> headers, byte[] data) {
    if (headers == null) {
      throw new InvalidEventException("missing CloudEvents headers");
    }
    Map<String, String> byName = new HashMap<>();
    headers.forEach(
        (name, value) -> {
          if (name != null) {
            byName.put(name.toLowerCase(Locale.ROOT), value);
          }
        });
    String specVersion = header(byName, "specversion");
    if (!SPEC_VERSION.equals(specVersion)) {
      throw new InvalidEventException(
          "unsupported CloudEvents attribute ce_specversion: "
              + specVersion
              + " (expected "
              + SPEC_VERSION
              + ")");
    }
    String id = header(byName, "id");
    String source = header(byName, "source");
    String type = header(byName, "type");
    Instant time = parseTime(header(byName, "time"));
    Map<String, String> extensions = new TreeMap<>();
    byName.forEach(
        (name, value) -> {
          if (name.startsWith(HEADER_PREFIX)) {
            String attribute = name.substring(HEADER_PREFIX.length());
            if (!MODELLED_ATTRIBUTES.contains(attribute)) {
              extensions.put(attribute, value);
            }
          }
        });
    return new CloudEvent(
        id,
        source,
        type,
        byName.get(HEADER_PREFIX + "subject"),
        time,
        byName.get(CONTENT_TYPE_HEADER),
        data,
        extensions);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CloudEvent that
        && id.equals(that.id)
        && source.equals(that.source)
        && type.equals(that.type)
        && Objects.equals(subject, that.subject)
        && time.equals(that.time)
        && dataContentType.equals(that.dataContentType)
        && Arrays.equals(data, that.data)
        && extensions.equals(that.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, source, type, subject, time, dataContentType, extensions) * 31
        + Arrays.hashCode(data);
  }

  /** Shows the data's size only: it may be large, and logs should not carry payloads. */
  @Override
  public String toString() {
    return "CloudEvent[id="
        + id
        + ", source="
        + source
        + ", type="
        + type
        + ", subject="
        + subject
        + ", time="
        + time
        + ", dataContentType="
        + dataContentType
        + ", data="
        + data.length
        + " bytes, extensions="
        + extensions
        + "]";
  }

  private static String required(String value, String attribute) {
    if (value == null) {
      throw new InvalidEventException("missing CloudEvents attribute ce_" + attribute);
    }
    if (value.isEmpty()) {
      throw new InvalidEventException("invalid CloudEvents attribute ce_" + attribute + ": empty");
    }
    return value;
  }

  private static String header(Map<String, String> byName, String attribute) {
    return required(byName.get(HEADER_PREFIX + attribute), attribute);
  }

  private static Instant parseTime(String value) {
    try {
      // RFC 3339 allows a lowercase 't' and 'z' and any offset; normalise before parsing.
      return OffsetDateTime.parse(
              value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(
          "invalid CloudEvents attribute ce_time: not an RFC 3339 timestamp: " + value, e);
    }
  }

  private static Map<String, String> checkedExtensions(Map<String, String> extensions) {
    if (extensions == null) {
      return Map.of();
    }
    Map<String, String> copy = new TreeMap<>();
    extensions.forEach(
        (name, value) -> {
          if (name == null
              || !EXTENSION_NAME.matcher(name).matches()
              || MODELLED_ATTRIBUTES.contains(name)) {
            throw new InvalidEventException("invalid CloudEvents extension name: " + name);
          }
          if (value == null) {
            throw new InvalidEventException("missing value of CloudEvents extension ce_" + name);
          }
          copy.put(name, value);
        });
    return Collections.unmodifiableMap(copy);
  }
}

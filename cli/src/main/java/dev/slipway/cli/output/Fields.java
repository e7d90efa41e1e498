package dev.slipway.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Short human renderings of API values: ids, commits, timestamps and durations. */
public final class Fields {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Fields() {}

  /** A field's text, or null when it is absent or JSON null. */
  public static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /** The first 7 characters of a commit SHA, as git shows it. */
  public static String sha(String sha) {
    return sha == null ? null : sha.substring(0, Math.min(7, sha.length()));
  }

  /** The first 8 characters of a UUID: enough to tell builds apart in a table. */
  public static String shortId(String id) {
    return id == null ? null : id.substring(0, Math.min(8, id.length()));
  }

  /** An ISO-8601 timestamp in local time to the second; other text unchanged. */
  public static String time(String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return LOCAL.format(Instant.parse(iso));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  /** The time between two ISO-8601 timestamps as {@code 1m05s}; null if either is missing. */
  public static String duration(String fromIso, String toIso) {
    if (fromIso == null || toIso == null) {
      return null;
    }
    try {
      return human(Duration.between(Instant.parse(fromIso), Instant.parse(toIso)));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}

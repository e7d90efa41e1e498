package dev.slipway.build.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the fields Slipway needs out of a forge's JSON, naming the path of any that is missing. */
final class PayloadReader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

  private PayloadReader() {}

  static JsonNode parse(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw new WebhookPayloadException("(body)", "must be a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new WebhookPayloadException(
          "(body)",
          "is not valid JSON at line "
              + e.getLocation().getLineNr()
              + " column "
              + e.getLocation().getColumnNr());
    } catch (java.io.IOException e) {
      throw new WebhookPayloadException("(body)", "could not be read");
    }
  }

  static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return node == null || node.isNull() ? null : node;
  }

  static String text(JsonNode root, String path) {
    JsonNode node = at(root, path);
    if (node == null || !node.isValueNode() || node.asText().isBlank()) {
      throw new WebhookPayloadException(path, "is missing");
    }
    return node.asText();
  }

  static String optionalText(JsonNode root, String path) {
    JsonNode node = at(root, path);
    return node == null || !node.isValueNode() ? null : node.asText();
  }

  static String sha(JsonNode root, String path) {
    String value = text(root, path);
    if (!SHA.matcher(value).matches()) {
      throw new WebhookPayloadException(path, "is not a commit SHA");
    }
    return value;
  }

  static int positiveInt(JsonNode root, String path) {
    JsonNode node = at(root, path);
    if (node == null || !node.canConvertToInt() || node.asInt() < 1) {
      throw new WebhookPayloadException(path, "must be a positive integer");
    }
    return node.asInt();
  }

  static boolean flag(JsonNode root, String path) {
    JsonNode node = at(root, path);
    return node != null && node.asBoolean(false);
  }

  static Set<String> urls(JsonNode root, String... paths) {
    Set<String> urls = new LinkedHashSet<>();
    for (String path : paths) {
      String value = optionalText(root, path);
      if (value != null && !value.isBlank()) {
        urls.add(value);
      }
    }
    return urls;
  }
}

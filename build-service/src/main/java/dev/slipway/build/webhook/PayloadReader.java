package dev.slipway.build.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.platform.json.JsonLimits;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the fields Slipway needs out of a forge's JSON, naming the path of any that is missing. */
final class PayloadReader {

  private static final ObjectMapper JSON = JsonLimits.newMapper();
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

  private PayloadReader() {}

  static JsonNode parse(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw new WebhookPayloadException("(body)", "must be a JSON object");
      }
      return root;
    } catch (StreamConstraintsException e) {
      throw new WebhookPayloadException("(body)", JsonLimits.describe(e));
    } catch (JsonProcessingException e) {
      // Not every parse error knows where it happened.
      throw new WebhookPayloadException(
          "(body)",
          e.getLocation() == null
              ? "is not valid JSON"
              : "is not valid JSON at line "
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

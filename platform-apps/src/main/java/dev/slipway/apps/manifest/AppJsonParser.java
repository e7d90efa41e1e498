package dev.slipway.apps.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns app.json text into an {@link AppJson}, reporting every type error by its key path. */
final class AppJsonParser {
  static final String FILE = "app.json";

  /** Config var names end up as environment variable names, so they must be valid ones. */
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Pattern PROCESS_TYPE = Pattern.compile("[A-Za-z0-9_-]+");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private AppJsonParser() {}

  static AppJson parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      throw invalidJson(e);
    }
    if (root == null || root.isMissingNode()) {
      throw new ManifestException(FILE, "(root)", "is empty");
    }
    if (!root.isObject()) {
      throw new ManifestException(FILE, "(root)", "must be a JSON object");
    }
    return new AppJson(
        optionalString(root, "name", "name"),
        optionalString(root, "description", "description"),
        optionalString(root, "stack", "stack"),
        env(root.get("env"), "env"),
        formation(root.get("formation"), "formation"),
        addons(root.get("addons"), "addons"),
        buildpacks(root.get("buildpacks"), "buildpacks"),
        scripts(root.get("scripts"), "scripts"),
        environments(root.get("environments"), "environments"));
  }

  private static ManifestException invalidJson(JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    String message = e.getOriginalMessage();
    int newline = message == null ? -1 : message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    String at =
        where == null ? "" : " at line " + where.getLineNr() + " column " + where.getColumnNr();
    return new ManifestException(FILE, "(root)", "invalid JSON" + at + ": " + message);
  }

  private static Map<String, AppEnvironment> environments(JsonNode node, String path) {
    Map<String, AppEnvironment> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : fields(node, path)) {
      String name = field.getKey();
      String at = path + "." + name;
      JsonNode value = field.getValue();
      if (isAbsent(value)) {
        continue;
      }
      requireObject(value, at);
      result.put(
          name,
          new AppEnvironment(
              env(value.get("env"), at + ".env"),
              scripts(value.get("scripts"), at + ".scripts"),
              formation(value.get("formation"), at + ".formation"),
              addons(value.get("addons"), at + ".addons"),
              buildpacks(value.get("buildpacks"), at + ".buildpacks")));
    }
    return result;
  }

  private static Map<String, EnvVar> env(JsonNode node, String path) {
    Map<String, EnvVar> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : fields(node, path)) {
      String key = field.getKey();
      String at = path + "." + key;
      if (!ENV_KEY.matcher(key).matches()) {
        throw new ManifestException(
            FILE,
            at,
            "is not a valid config var name (letters, digits and _, not starting with a digit)");
      }
      JsonNode value = field.getValue();
      if (value.isObject()) {
        String generator = optionalString(value, "generator", at + ".generator");
        if (generator != null && !EnvVar.SECRET_GENERATOR.equals(generator)) {
          throw new ManifestException(FILE, at + ".generator", "must be \"secret\"");
        }
        result.put(
            key,
            new EnvVar(
                envValue(value.get("value"), at + ".value"),
                optionalString(value, "description", at + ".description"),
                optionalBoolean(value, "required", at + ".required", true),
                generator));
      } else {
        result.put(key, EnvVar.of(envValue(value, at)));
      }
    }
    return result;
  }

  /** Numbers and booleans are taken as their text: config values are strings in the end. */
  private static String envValue(JsonNode value, String at) {
    if (isAbsent(value)) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw new ManifestException(FILE, at, "must be a string or an object");
  }

  private static Map<String, Formation> formation(JsonNode node, String path) {
    Map<String, Formation> result = new LinkedHashMap<>();
    if (isAbsent(node)) {
      return result;
    }
    if (node.isArray()) {
      // Heroku's older array form: [{"process": "web", "quantity": 1}]
      for (int i = 0; i < node.size(); i++) {
        String at = path + "[" + i + "]";
        JsonNode item = node.get(i);
        requireObject(item, at);
        String type = optionalString(item, "process", at + ".process");
        if (type == null) {
          throw new ManifestException(FILE, at + ".process", "is required");
        }
        result.put(processType(type, at + ".process"), formationEntry(item, at));
      }
      return result;
    }
    for (Map.Entry<String, JsonNode> field : fields(node, path)) {
      String at = path + "." + field.getKey();
      requireObject(field.getValue(), at);
      result.put(processType(field.getKey(), at), formationEntry(field.getValue(), at));
    }
    return result;
  }

  private static String processType(String type, String at) {
    if (!PROCESS_TYPE.matcher(type).matches()) {
      throw new ManifestException(
          FILE, at, "is not a valid process type (letters, digits, - and _)");
    }
    return type;
  }

  private static Formation formationEntry(JsonNode item, String at) {
    JsonNode quantity = item.get("quantity");
    int count = 1;
    if (!isAbsent(quantity)) {
      if (!quantity.isIntegralNumber() || !quantity.canConvertToInt() || quantity.intValue() < 0) {
        throw new ManifestException(FILE, at + ".quantity", "must be a non-negative integer");
      }
      count = quantity.intValue();
    }
    return new Formation(count, optionalString(item, "size", at + ".size"));
  }

  private static List<Addon> addons(JsonNode node, String path) {
    List<Addon> result = new ArrayList<>();
    for (int i = 0; i < elements(node, path); i++) {
      String at = path + "[" + i + "]";
      JsonNode item = node.get(i);
      if (item.isTextual()) {
        result.add(new Addon(nonBlank(item.textValue(), at), null, Map.of()));
      } else if (item.isObject()) {
        String plan = optionalString(item, "plan", at + ".plan");
        if (plan == null) {
          throw new ManifestException(FILE, at + ".plan", "is required");
        }
        nonBlank(plan, at + ".plan");
        String as = optionalString(item, "as", at + ".as");
        JsonNode options = item.get("options");
        Map<String, Object> optionMap = new LinkedHashMap<>();
        if (!isAbsent(options)) {
          requireObject(options, at + ".options");
          for (Map.Entry<String, JsonNode> option : iterable(options.fields())) {
            optionMap.put(option.getKey(), MAPPER.convertValue(option.getValue(), Object.class));
          }
        }
        result.add(new Addon(plan, as, optionMap));
      } else {
        throw new ManifestException(FILE, at, "must be a string or an object");
      }
    }
    return result;
  }

  private static List<Buildpack> buildpacks(JsonNode node, String path) {
    List<Buildpack> result = new ArrayList<>();
    for (int i = 0; i < elements(node, path); i++) {
      String at = path + "[" + i + "]";
      JsonNode item = node.get(i);
      if (item.isTextual()) {
        result.add(new Buildpack(nonBlank(item.textValue(), at)));
      } else if (item.isObject()) {
        String url = optionalString(item, "url", at + ".url");
        if (url == null) {
          throw new ManifestException(FILE, at + ".url", "is required");
        }
        result.add(new Buildpack(nonBlank(url, at + ".url")));
      } else {
        throw new ManifestException(FILE, at, "must be an object with a url");
      }
    }
    return result;
  }

  private static Scripts scripts(JsonNode node, String path) {
    if (isAbsent(node)) {
      return Scripts.empty();
    }
    String postdeploy = null;
    String prPredestroy = null;
    String testSetup = null;
    String test = null;
    Map<String, String> other = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : fields(node, path)) {
      String key = field.getKey();
      String at = path + "." + key;
      JsonNode value = field.getValue();
      if (isAbsent(value)) {
        continue;
      }
      switch (key) {
        case "postdeploy" -> postdeploy = postdeploy(value, at);
        case "pr-predestroy" -> prPredestroy = script(value, at);
        case "test-setup" -> testSetup = script(value, at);
        case "test" -> test = script(value, at);
        default -> other.put(key, script(value, at));
      }
    }
    return new Scripts(postdeploy, prPredestroy, testSetup, test, other);
  }

  /** Heroku also accepts {@code {"command": ..., "size": ...}} for postdeploy. */
  private static String postdeploy(JsonNode value, String at) {
    if (value.isObject()) {
      String command = optionalString(value, "command", at + ".command");
      if (command == null) {
        throw new ManifestException(FILE, at + ".command", "is required");
      }
      optionalString(value, "size", at + ".size");
      return command;
    }
    if (!value.isTextual()) {
      throw new ManifestException(FILE, at, "must be a string or an object with a command");
    }
    return value.textValue();
  }

  private static String script(JsonNode value, String at) {
    if (!value.isTextual()) {
      throw new ManifestException(FILE, at, "must be a string");
    }
    return value.textValue();
  }

  private static String optionalString(JsonNode parent, String field, String at) {
    JsonNode value = parent.get(field);
    if (isAbsent(value)) {
      return null;
    }
    if (!value.isTextual()) {
      throw new ManifestException(FILE, at, "must be a string");
    }
    return value.textValue();
  }

  private static boolean optionalBoolean(
      JsonNode parent, String field, String at, boolean defaultValue) {
    JsonNode value = parent.get(field);
    if (isAbsent(value)) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw new ManifestException(FILE, at, "must be true or false");
    }
    return value.booleanValue();
  }

  private static String nonBlank(String value, String at) {
    if (value.isBlank()) {
      throw new ManifestException(FILE, at, "must not be empty");
    }
    return value;
  }

  private static void requireObject(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new ManifestException(FILE, at, "must be an object");
    }
  }

  /** JSON null counts as absent, like a missing key. */
  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node, String path) {
    if (isAbsent(node)) {
      return List.of();
    }
    requireObject(node, path);
    return iterable(node.fields());
  }

  private static int elements(JsonNode node, String path) {
    if (isAbsent(node)) {
      return 0;
    }
    if (!node.isArray()) {
      throw new ManifestException(FILE, path, "must be an array");
    }
    return node.size();
  }

  private static <T> Iterable<T> iterable(Iterator<T> iterator) {
    return () -> iterator;
  }
}

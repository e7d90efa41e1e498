package dev.slipway.platform.yaml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slipway.platform.json.JsonLimits;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML that Slipway did not write (buildpack and test-runner output) with Jackson's YAML
 * module under hostile-input limits: bounded size and nesting, aliases never expanded, and only
 * strings come out, so a YAML tag can never name a Java type to instantiate.
 */
public final class SafeYaml {

  /** Deeper than any diagnostics or release document; far below what would exhaust the stack. */
  public static final int MAX_NESTING_DEPTH = JsonLimits.MAX_NESTING_DEPTH;

  private final YAMLFactory factory;
  private final int maxChars;

  private SafeYaml(int maxChars) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(maxChars);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setAllowRecursiveKeys(false);
    this.factory =
        YAMLFactory.builder()
            .loaderOptions(options)
            .streamReadConstraints(JsonLimits.CONSTRAINTS)
            .build();
    this.maxChars = maxChars;
  }

  /** A reader refusing documents longer than {@code maxChars}. */
  public static SafeYaml limitedTo(int maxChars) {
    if (maxChars <= 0) {
      throw new IllegalArgumentException("maxChars must be positive");
    }
    return new SafeYaml(maxChars);
  }

  /**
   * The scalar entries of the mapping found by following {@code path} from the document's root,
   * each as written ({@code 1.10} stays {@code 1.10}, {@code no} stays {@code no}); nested mappings
   * and lists and null values are skipped, and the first of duplicate keys wins. Empty when the
   * path leads to no mapping; broken YAML anywhere in the document is refused.
   *
   * @throws YamlException naming the line and the problem, without parser internals
   */
  public Map<String, String> scalarsOf(String document, String... path) throws YamlException {
    if (document.length() > maxChars) {
      throw new YamlException("is longer than " + maxChars + " chars");
    }
    try (JsonParser parser = factory.createParser(document)) {
      Map<String, String> scalars = scalarsAt(parser, path);
      // Read to the end: broken YAML anywhere in the document is refused, not half-used.
      while (parser.nextToken() != null) {
        parser.skipChildren();
      }
      return scalars;
    } catch (JacksonException e) {
      throw new YamlException(describe(e));
    } catch (IOException e) {
      throw new YamlException(String.valueOf(e.getMessage()));
    }
  }

  private static Map<String, String> scalarsAt(JsonParser parser, String... path)
      throws IOException {
    Map<String, String> scalars = new LinkedHashMap<>();
    JsonToken token = parser.nextToken();
    for (String key : path) {
      token = valueOf(parser, token, key);
    }
    if (token != JsonToken.START_OBJECT) {
      return scalars;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
        scalars.putIfAbsent(name, parser.getText());
      } else {
        parser.skipChildren();
      }
    }
    return scalars;
  }

  /** Moves to the value of {@code key} in the mapping at {@code token}; null when absent. */
  private static JsonToken valueOf(JsonParser parser, JsonToken token, String key)
      throws IOException {
    if (token != JsonToken.START_OBJECT) {
      return null;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (key.equals(name)) {
        return value;
      }
      parser.skipChildren();
    }
    return null;
  }

  private static String describe(JacksonException e) {
    String problem = String.valueOf(e.getOriginalMessage());
    int newline = problem.indexOf('\n');
    problem = (newline >= 0 ? problem.substring(0, newline) : problem).strip();
    JsonLocation at = e.getLocation();
    return at != null && at.getLineNr() > 0 ? "line " + at.getLineNr() + ": " + problem : problem;
  }

  /** A document that is not YAML or breaks a limit; the message says where and why. */
  public static final class YamlException extends Exception {
    private static final long serialVersionUID = 1L;

    public YamlException(String message) {
      super(message);
    }
  }
}

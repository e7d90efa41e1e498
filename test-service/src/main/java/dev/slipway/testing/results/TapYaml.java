package dev.slipway.testing.results;

import dev.slipway.platform.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the top-level scalar entries of a TAP YAML diagnostic block; nested maps and lists are
 * skipped because TAP producers put what a test report needs at the top level.
 *
 * <p>Each top-level entry is parsed on its own, so one value that is not YAML (Node prints some
 * values with {@code util.inspect}, e.g. {@code [Function: f]}) loses only itself.
 */
final class TapYaml {

  private static final SafeYaml YAML = SafeYaml.limitedTo(TapParser.MAX_YAML_CHARS);

  private TapYaml() {}

  static Map<String, String> parse(List<String> lines) {
    Map<String, String> entries = new LinkedHashMap<>();
    int base = -1;
    for (String line : lines) {
      if (!line.isBlank()) {
        base = TapParser.indentOf(line);
        break;
      }
    }
    if (base < 0) {
      return entries;
    }
    List<String> entry = new ArrayList<>();
    for (String line : lines) {
      if (!line.isBlank() && TapParser.indentOf(line) <= base) {
        read(entry, entries);
        entry.clear();
      }
      entry.add(line);
    }
    read(entry, entries);
    return entries;
  }

  private static void read(List<String> entry, Map<String, String> entries) {
    if (entry.isEmpty()) {
      return;
    }
    StringBuilder document = new StringBuilder();
    for (String line : entry) {
      document.append(withSpaceIndent(withoutLineEnd(line))).append('\n');
    }
    try {
      YAML.scalarsOf(document.toString()).forEach(entries::putIfAbsent);
    } catch (SafeYaml.YamlException e) {
      // Not YAML: this entry says nothing the report could use.
    }
  }

  private static String withoutLineEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }

  /** YAML forbids tabs in indentation; TAP producers that indent with tabs mean 4 columns. */
  private static String withSpaceIndent(String line) {
    int end = 0;
    while (end < line.length() && (line.charAt(end) == '\t' || line.charAt(end) == ' ')) {
      end++;
    }
    String indent = line.substring(0, end);
    return indent.indexOf('\t') < 0 ? line : indent.replace("\t", "    ") + line.substring(end);
  }
}

package dev.slipway.build.executor.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code default_process_types} map out of a buildpack's {@code bin/release} YAML: the
 * one shape buildpacks emit (two-level, one {@code type: command} per line).
 */
final class ReleaseYaml {

  private static final Pattern ENTRY = Pattern.compile("^\\s+([A-Za-z0-9_-]+):\\s*(.*)$");

  private ReleaseYaml() {}

  static Map<String, String> defaultProcessTypes(List<String> lines) {
    Map<String, String> types = new LinkedHashMap<>();
    boolean inside = false;
    for (String line : lines) {
      if (line.isBlank() || line.trim().startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        inside = line.trim().startsWith("default_process_types:");
        continue;
      }
      Matcher m = ENTRY.matcher(line);
      if (inside && m.matches()) {
        types.put(m.group(1), unquote(m.group(2).trim()));
      }
    }
    return types;
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}

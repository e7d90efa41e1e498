package dev.slipway.testing.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the top-level scalar entries of a TAP YAML diagnostic block; nested maps and lists are
 * skipped because TAP producers put what a test report needs at the top level.
 */
final class MiniYaml {

  private static final Pattern ENTRY =
      Pattern.compile("^([A-Za-z0-9_.\\-]+)[ \\t]*:(?:[ \\t]+(.*))?[ \\t]*$");

  private MiniYaml() {}

  static Map<String, String> parse(List<String> lines) {
    int base = -1;
    for (String line : lines) {
      if (!line.isBlank()) {
        base = TapParser.indentOf(line);
        break;
      }
    }
    Map<String, String> entries = new LinkedHashMap<>();
    if (base < 0) {
      return entries;
    }
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      i++;
      if (line.isBlank() || TapParser.indentOf(line) != base) {
        continue;
      }
      Matcher entry = ENTRY.matcher(line.trim());
      List<String> continuation = new ArrayList<>();
      while (i < lines.size()
          && (lines.get(i).isBlank() || TapParser.indentOf(lines.get(i)) > base)) {
        continuation.add(lines.get(i));
        i++;
      }
      if (!entry.matches()) {
        continue;
      }
      String value = scalar(entry.group(2) == null ? "" : entry.group(2).trim(), continuation);
      if (value != null) {
        entries.putIfAbsent(entry.group(1), value);
      }
    }
    return entries;
  }

  private static String scalar(String head, List<String> continuation) {
    if (head.startsWith("|") || head.startsWith(">")) {
      return block(continuation, head.startsWith(">"));
    }
    String joined = head;
    for (String line : continuation) {
      if (!line.isBlank()) {
        joined = joined + " " + line.trim();
      }
    }
    if (head.isEmpty()) {
      return null;
    }
    if (joined.startsWith("'")) {
      return singleQuoted(joined);
    }
    if (joined.startsWith("\"")) {
      return doubleQuoted(joined);
    }
    int comment = joined.indexOf(" #");
    String plain = (comment >= 0 ? joined.substring(0, comment) : joined).trim();
    return plain.equals("~") || plain.equals("null") ? null : plain;
  }

  private static String block(List<String> lines, boolean folded) {
    int end = lines.size();
    while (end > 0 && lines.get(end - 1).isBlank()) {
      end--;
    }
    int indent = Integer.MAX_VALUE;
    for (int i = 0; i < end; i++) {
      if (!lines.get(i).isBlank()) {
        indent = Math.min(indent, TapParser.indentOf(lines.get(i)));
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < end; i++) {
      String line = lines.get(i);
      String text = line.isBlank() ? "" : stripIndent(line, indent);
      if (i > 0) {
        boolean joinWithSpace =
            folded && !text.isEmpty() && !lines.get(i - 1).isBlank() && !text.startsWith(" ");
        out.append(joinWithSpace ? ' ' : '\n');
      }
      out.append(text);
    }
    return out.toString().stripTrailing();
  }

  private static String stripIndent(String line, int indent) {
    int column = 0;
    int i = 0;
    while (i < line.length() && column < indent) {
      column += line.charAt(i) == '\t' ? 4 : 1;
      i++;
    }
    return line.substring(i);
  }

  private static String singleQuoted(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          out.append('\'');
          i++;
          continue;
        }
        return out.toString();
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String doubleQuoted(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\' || i + 1 >= text.length()) {
        out.append(c);
        continue;
      }
      char escaped = text.charAt(++i);
      switch (escaped) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '0' -> out.append('\0');
        case 'u' -> {
          if (i + 4 < text.length() && isHex(text, i + 1, 4)) {
            out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
            i += 4;
          } else {
            out.append('u');
          }
        }
        default -> out.append(escaped);
      }
    }
    return out.toString();
  }

  private static boolean isHex(String text, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}

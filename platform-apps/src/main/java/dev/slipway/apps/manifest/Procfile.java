package dev.slipway.apps.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Procfile: {@code <process type>: <command>} per line, as Heroku reads it. Blank lines
 * and lines starting with {@code #} are ignored; when a process type appears twice the last command
 * wins (it keeps the position of its first appearance), as with Heroku's process-type hash. Unlike
 * foreman, which skips lines it cannot read, a malformed line is an error: a silently dropped
 * {@code web} line would only show up as an app that never starts.
 */
public final class Procfile {
  static final String FILE = "Procfile";

  private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_-]+)[ \\t]*:[ \\t]*(.*)");

  private static final Procfile EMPTY = new Procfile(Map.of());

  private final Map<String, String> processTypes;

  private Procfile(Map<String, String> processTypes) {
    this.processTypes = processTypes;
  }

  /**
   * Parses Procfile text.
   *
   * @throws ManifestException with key {@code line N} for the first malformed line
   */
  public static Procfile parse(String text) {
    if (text == null || text.isEmpty()) {
      return EMPTY;
    }
    if (text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    Map<String, String> types = new LinkedHashMap<>();
    String[] lines = text.split("\r\n|\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String at = "line " + (i + 1);
      Matcher matcher = LINE.matcher(line);
      if (!matcher.matches()) {
        throw new ManifestException(FILE, at, "expected \"<process type>: <command>\"");
      }
      String command = matcher.group(2).strip();
      if (command.isEmpty()) {
        throw new ManifestException(
            FILE, at, "process type \"" + matcher.group(1) + "\" has no command");
      }
      types.put(matcher.group(1), command);
    }
    return types.isEmpty() ? EMPTY : new Procfile(Collections.unmodifiableMap(types));
  }

  public static Procfile empty() {
    return EMPTY;
  }

  /** Process type to command line, in the order the types first appear. */
  public Map<String, String> processTypes() {
    return processTypes;
  }

  public Optional<String> command(String type) {
    return Optional.ofNullable(processTypes.get(type));
  }

  public boolean isEmpty() {
    return processTypes.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Procfile procfile && processTypes.equals(procfile.processTypes);
  }

  @Override
  public int hashCode() {
    return processTypes.hashCode();
  }

  @Override
  public String toString() {
    return "Procfile" + processTypes;
  }
}

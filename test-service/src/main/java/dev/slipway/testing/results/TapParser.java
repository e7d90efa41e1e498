package dev.slipway.testing.results;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads test cases from TAP version 12 or 13 output, including the indented subtests of {@code node
 * --test --test-reporter=tap}.
 *
 * <p>Semantics chosen where TAP leaves room:
 *
 * <ul>
 *   <li>{@code # TODO} marks work not expected to pass yet: per the TAP specification such a test
 *       never fails the run, whether it reports {@code ok} or {@code not ok}, so it is {@link
 *       TestOutcome#SKIPPED}, like {@code # SKIP}.
 *   <li>A parent test whose subtests were parsed is reported only through its subtests, unless it
 *       failed for a reason of its own (Node's {@code failureType} other than {@code
 *       subtestsFailed}, or no failed subtest to explain it).
 *   <li>{@code Bail out!} ends parsing and adds a failed case named {@code Bail out!}, so an
 *       aborted run never looks green.
 *   <li>Lines that are not TAP (application logs) are ignored; a YAML block is recognised only
 *       directly after its test line, so a log line cannot open one.
 *   <li>Memory is bounded whatever the input: at most {@value #MAX_CASES} test points are kept
 *       (later ones are ignored and one failed case named {@value #TOO_MANY_NAME} says so, so a
 *       cut-off run never looks green) and a YAML block keeps at most {@value #MAX_YAML_CHARS}
 *       chars.
 * </ul>
 */
public final class TapParser {

  static final String BAIL_OUT_NAME = "Bail out!";

  /** Most test points read from one output; more is a runaway loop, not a test suite. */
  public static final int MAX_CASES = 10_000;

  static final String TOO_MANY_NAME = "too many test cases";
  static final int MAX_YAML_CHARS = 64 * 1024;

  private static final Pattern TEST_POINT =
      Pattern.compile("^(not ok|ok)(?=\\s|$)\\s*(?:(\\d+)(?=\\s|$))?\\s*(?:-(?=\\s|$)\\s*)?(.*)$");
  private static final Pattern DIRECTIVE =
      Pattern.compile("^\\s*(skip|todo)\\S*(?:\\s+(.*))?$", Pattern.CASE_INSENSITIVE);
  private static final String SUBTEST_PREFIX = "# Subtest:";
  private static final String SUBTESTS_FAILED = "subtestsFailed";

  private TapParser() {}

  /** Parses TAP lines (with or without line terminators) into test cases in output order. */
  public static List<TestCaseResult> parse(List<String> lines) {
    Feed feed = feed();
    lines.forEach(feed::line);
    return feed.finish();
  }

  /** A parse fed line by line as output is produced, so the output itself is never kept. */
  public static Feed feed() {
    return new Feed();
  }

  /** An incremental parse: {@link #line} for each output line, then {@link #finish} once. */
  public static final class Feed {
    private final Run run = new Run();
    private boolean done;

    private Feed() {}

    /** Reads one line; not thread-safe (a process's lines arrive one at a time). */
    public void line(String raw) {
      if (!done && raw != null) {
        done = run.accept(raw);
      }
    }

    /** The test cases in output order. */
    public List<TestCaseResult> finish() {
      done = true;
      return run.finish();
    }
  }

  /** The TAP directive that turns a test line into a skip. */
  private enum Directive {
    NONE,
    SKIP,
    TODO
  }

  /** One {@code ok}/{@code not ok} line with its YAML block and the subtests it closed. */
  private static final class TestPoint {
    final boolean ok;
    final String name;
    final Directive directive;
    final String directiveReason;
    final List<TestPoint> children = new ArrayList<>();
    Map<String, String> yaml = Map.of();

    TestPoint(boolean ok, String name, Directive directive, String directiveReason) {
      this.ok = ok;
      this.name = name;
      this.directive = directive;
      this.directiveReason = directiveReason;
    }

    TestOutcome outcome() {
      if (directive != Directive.NONE) {
        return TestOutcome.SKIPPED;
      }
      return ok ? TestOutcome.PASSED : TestOutcome.FAILED;
    }

    boolean anyFailedBelow() {
      for (TestPoint child : children) {
        if (child.outcome() == TestOutcome.FAILED || child.anyFailedBelow()) {
          return true;
        }
      }
      return false;
    }

    /** A parent counts on its own only when its subtests do not explain its failure. */
    boolean reportedItself() {
      if (children.isEmpty()) {
        return true;
      }
      if (outcome() != TestOutcome.FAILED) {
        return false;
      }
      String failureType = yaml.get("failureType");
      if (failureType != null) {
        return !SUBTESTS_FAILED.equals(failureType);
      }
      return !anyFailedBelow();
    }
  }

  /** Test points seen at one indentation, waiting for the parent line that closes them. */
  private static final class Level {
    final int indent;
    final String announcedParent;
    final List<TestPoint> points = new ArrayList<>();

    Level(int indent, String announcedParent) {
      this.indent = indent;
      this.announcedParent = announcedParent;
    }
  }

  /** A {@code # Subtest:} comment, naming a parent before its own test line arrives. */
  private record Announcement(int indent, String name) {}

  /** The state of one parse. */
  private static final class Run {
    private final Deque<Level> levels = new ArrayDeque<>();
    private final Deque<Announcement> announcements = new ArrayDeque<>();
    private final List<TestCaseResult> results = new ArrayList<>();
    private TestPoint yamlOwner;
    private int yamlOwnerIndent;
    private List<String> yamlLines;
    private int yamlIndent;
    private int yamlChars;
    private String bailOutReason;
    private boolean bailedOut;
    private int points;
    private boolean tooMany;

    /** Returns true when parsing must stop. */
    boolean accept(String raw) {
      String line = stripLineEnd(raw);
      if (yamlLines != null && continueYaml(line)) {
        return false;
      }
      return handle(line);
    }

    List<TestCaseResult> finish() {
      if (yamlLines != null) {
        finishYaml();
      }
      flushRemaining();
      if (bailedOut) {
        results.add(new TestCaseResult("", BAIL_OUT_NAME, TestOutcome.FAILED, null, bailOutReason));
      }
      if (tooMany) {
        results.add(
            new TestCaseResult(
                "",
                TOO_MANY_NAME,
                TestOutcome.FAILED,
                null,
                "more than " + MAX_CASES + " test points; the rest were not read"));
      }
      return List.copyOf(results);
    }

    /** Returns true when the line was part of the open YAML block. */
    private boolean continueYaml(String line) {
      int indent = indentOf(line);
      String trimmed = line.trim();
      if (trimmed.equals("...") && indent <= yamlIndent) {
        finishYaml();
        return true;
      }
      if (!trimmed.isEmpty() && indent < yamlIndent) {
        finishYaml();
        return false;
      }
      if (yamlChars + line.length() <= MAX_YAML_CHARS) {
        yamlChars += line.length();
        yamlLines.add(line);
      }
      return true;
    }

    private void finishYaml() {
      yamlOwner.yaml = TapYaml.parse(yamlLines);
      yamlLines = null;
      yamlOwner = null;
    }

    /** Returns true when parsing must stop. */
    private boolean handle(String line) {
      TestPoint candidateYamlOwner = yamlOwner;
      yamlOwner = null;
      String trimmed = line.trim();
      int indent = indentOf(line);
      if (trimmed.equals("---") && candidateYamlOwner != null && indent >= yamlOwnerIndent) {
        yamlOwner = candidateYamlOwner;
        yamlIndent = indent;
        yamlLines = new ArrayList<>();
        yamlChars = 0;
        return false;
      }
      if (trimmed.startsWith(BAIL_OUT_NAME)) {
        String reason = trimmed.substring(BAIL_OUT_NAME.length()).trim();
        bailOutReason = reason.isEmpty() ? null : reason;
        bailedOut = true;
        return true;
      }
      if (trimmed.startsWith(SUBTEST_PREFIX)) {
        String name = trimmed.substring(SUBTEST_PREFIX.length()).trim();
        while (!announcements.isEmpty() && announcements.peek().indent() >= indent) {
          announcements.pop();
        }
        announcements.push(new Announcement(indent, name));
        return false;
      }
      Matcher matcher = TEST_POINT.matcher(trimmed);
      if (matcher.matches()) {
        if (++points > MAX_CASES) {
          tooMany = true;
          return false;
        }
        TestPoint point = testPoint(matcher);
        attach(point, indent);
        yamlOwner = point;
        yamlOwnerIndent = indent;
      }
      return false;
    }

    private TestPoint testPoint(Matcher matcher) {
      boolean ok = matcher.group(1).equals("ok");
      String number = matcher.group(2);
      String rest = matcher.group(3);
      Directive directive = Directive.NONE;
      String reason = null;
      String description = rest;
      for (int i = rest.indexOf('#'); i >= 0; i = rest.indexOf('#', i + 1)) {
        if (isEscaped(rest, i)) {
          continue;
        }
        Matcher d = DIRECTIVE.matcher(rest.substring(i + 1));
        if (d.matches()) {
          directive =
              d.group(1).toLowerCase(Locale.ROOT).equals("skip") ? Directive.SKIP : Directive.TODO;
          reason = d.group(2) == null || d.group(2).isBlank() ? null : d.group(2).trim();
          description = rest.substring(0, i);
          break;
        }
      }
      String name = unescape(description.trim());
      if (name.isEmpty()) {
        name = number == null ? "unnamed test" : "test " + number;
      }
      return new TestPoint(ok, name, directive, reason);
    }

    private void attach(TestPoint point, int indent) {
      List<TestPoint> children = new ArrayList<>();
      while (!levels.isEmpty() && levels.peek().indent > indent) {
        children.addAll(0, levels.pop().points);
      }
      point.children.addAll(children);
      while (!announcements.isEmpty() && announcements.peek().indent() > indent) {
        announcements.pop();
      }
      if (levels.isEmpty() || levels.peek().indent < indent) {
        levels.push(new Level(indent, announcedParentFor(indent)));
      }
      levels.peek().points.add(point);
    }

    private String announcedParentFor(int indent) {
      for (Announcement announcement : announcements) {
        if (announcement.indent() < indent) {
          return announcement.name();
        }
      }
      return null;
    }

    /** Emits what is left, including subtests whose parent line never came (bail out). */
    private void flushRemaining() {
      List<Level> outermostFirst = new ArrayList<>(levels);
      Collections.reverse(outermostFirst);
      List<String> path = new ArrayList<>();
      for (Level level : outermostFirst) {
        if (level.announcedParent != null) {
          path.add(level.announcedParent);
        }
        for (TestPoint point : level.points) {
          emit(point, path);
        }
      }
    }

    private void emit(TestPoint point, List<String> parents) {
      if (!point.children.isEmpty()) {
        List<String> path = new ArrayList<>(parents);
        path.add(point.name);
        for (TestPoint child : point.children) {
          emit(child, path);
        }
      }
      if (point.reportedItself()) {
        results.add(
            new TestCaseResult(
                String.join(TestCaseResult.SUITE_SEPARATOR, parents),
                point.name,
                point.outcome(),
                duration(point.yaml.get("duration_ms")),
                message(point)));
      }
    }
  }

  private static String message(TestPoint point) {
    if (point.directive != Directive.NONE && point.directiveReason != null) {
      return point.directiveReason;
    }
    String message = point.yaml.get("message");
    if (message == null || message.isBlank()) {
      message = point.yaml.get("error");
    }
    return message == null || message.isBlank() ? null : message.strip();
  }

  private static Duration duration(String millis) {
    if (millis == null) {
      return null;
    }
    try {
      double value = Double.parseDouble(millis.trim());
      if (!Double.isFinite(value) || value < 0) {
        return null;
      }
      return Duration.ofNanos(Math.round(value * 1_000_000d));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean isEscaped(String text, int index) {
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  private static String unescape(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (next == '\\' || next == '#') {
          out.append(next);
          i++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String stripLineEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }

  static int indentOf(String line) {
    int indent = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ') {
        indent++;
      } else if (c == '\t') {
        indent += 4;
      } else {
        break;
      }
    }
    return indent;
  }
}

package dev.slipway.testing.results;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads test cases from a JUnit XML report (Maven Surefire, Gradle, jest-junit, pytest and the
 * like) without ever resolving a DTD or an external entity. Memory is bounded: the report is
 * streamed, a file over {@value #MAX_REPORT_BYTES} bytes is refused, and at most {@link
 * TapParser#MAX_CASES} cases are read from one file.
 */
public final class JUnitXmlParser {

  /** Largest report read: Surefire writes well under a megabyte for thousands of tests. */
  public static final long MAX_REPORT_BYTES = 32L * 1024 * 1024;

  private JUnitXmlParser() {}

  /**
   * Parses a report whose root is {@code <testsuite>} or {@code <testsuites>}.
   *
   * @throws IOException when the file cannot be read, is not well-formed, declares a DTD (a report
   *     never needs one, and refusing it rules out entity attacks) or has another root
   */
  public static List<TestCaseResult> parse(Path file) throws IOException {
    if (Files.size(file) > MAX_REPORT_BYTES) {
      throw new IOException(
          "larger than "
              + MAX_REPORT_BYTES / (1024 * 1024)
              + " MB, not read: "
              + file.getFileName());
    }
    try (InputStream in = Files.newInputStream(file)) {
      XMLStreamReader reader = secureFactory().createXMLStreamReader(in);
      try {
        return read(reader, file);
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      throw new IOException(
          "not a readable JUnit XML report: " + file.getFileName() + ": " + describe(e), e);
    }
  }

  private static XMLInputFactory secureFactory() {
    // The JDK's own parser, so the security properties below are known to be honoured.
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXMLResolver(
        (publicId, systemId, baseUri, namespace) -> {
          throw new XMLStreamException("external resources are not allowed");
        });
    return factory;
  }

  private static List<TestCaseResult> read(XMLStreamReader reader, Path file)
      throws XMLStreamException, IOException {
    List<TestCaseResult> results = new ArrayList<>();
    Deque<String> suites = new ArrayDeque<>();
    boolean rootSeen = false;
    while (reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.DTD) {
        throw new IOException("a JUnit XML report must not declare a DTD: " + file.getFileName());
      }
      if (event == XMLStreamConstants.END_ELEMENT
          && reader.getLocalName().equals("testsuite")
          && !suites.isEmpty()) {
        suites.pop();
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String element = reader.getLocalName();
      if (!rootSeen) {
        rootSeen = true;
        if (!element.equals("testsuite") && !element.equals("testsuites")) {
          throw new IOException(
              "not a JUnit XML report (root <" + element + ">): " + file.getFileName());
        }
      }
      if (element.equals("testsuite")) {
        suites.push(nullToEmpty(attribute(reader, "name")));
      } else if (element.equals("testcase")) {
        if (results.size() >= TapParser.MAX_CASES) {
          break;
        }
        results.add(testCase(reader, suites.isEmpty() ? "" : suites.peek()));
      }
    }
    return List.copyOf(results);
  }

  /** Reads one {@code <testcase>} up to its end tag. */
  private static TestCaseResult testCase(XMLStreamReader reader, String enclosingSuite)
      throws XMLStreamException {
    String classname = attribute(reader, "classname");
    String suite = classname == null || classname.isBlank() ? enclosingSuite : classname;
    String name = nullToEmpty(attribute(reader, "name"));
    Duration duration = seconds(attribute(reader, "time"));
    TestOutcome outcome = TestOutcome.PASSED;
    String message = null;
    int depth = 1;
    while (depth > 0 && reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
        continue;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String element = reader.getLocalName();
      boolean failure = element.equals("failure") || element.equals("error");
      boolean skipped = element.equals("skipped");
      if (depth == 1 && (failure || skipped) && outcome != TestOutcome.FAILED) {
        outcome = failure ? TestOutcome.FAILED : TestOutcome.SKIPPED;
        String attribute = attribute(reader, "message");
        String text = reader.getElementText();
        message = attribute != null && !attribute.isBlank() ? attribute.strip() : firstLine(text);
      } else {
        depth++;
      }
    }
    return new TestCaseResult(suite, name, outcome, duration, message);
  }

  private static String attribute(XMLStreamReader reader, String name) {
    return reader.getAttributeValue(null, name);
  }

  private static String firstLine(String text) {
    for (String line : text.split("\\R")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return null;
  }

  /** Surefire before 3.0 wrote times with a locale's grouping separator, such as 1,234.5. */
  private static Duration seconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(value.trim().replace(",", ""));
      if (seconds.signum() < 0) {
        return null;
      }
      return Duration.ofNanos(
          seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  private static String describe(XMLStreamException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ").strip();
  }
}

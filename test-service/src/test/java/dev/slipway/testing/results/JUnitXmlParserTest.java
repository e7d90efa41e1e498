package dev.slipway.testing.results;

import static dev.slipway.testing.results.TestOutcome.FAILED;
import static dev.slipway.testing.results.TestOutcome.PASSED;
import static dev.slipway.testing.results.TestOutcome.SKIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JUnit XML reports become test cases, and a hostile report cannot make the parser reach out. */
class JUnitXmlParserTest {

  private static final String SECRET = "s3cr3t-database-password";

  @TempDir Path dir;

  @Test
  void realSurefireReportGivesEveryCaseWithOutcomeDurationAndMessage() throws IOException {
    Path report = copyFixture("TEST-com.example.CartTest.xml");

    List<TestCaseResult> results = JUnitXmlParser.parse(report);

    String suite = "com.example.CartTest";
    assertEquals(
        List.of(
            new TestCaseResult(suite, "startsEmpty", PASSED, Duration.ofMillis(32), null),
            new TestCaseResult(
                suite,
                "appliesCoupon",
                FAILED,
                Duration.ofMillis(10),
                "coupon service unavailable"),
            new TestCaseResult(
                suite,
                "rejectsNullItem",
                FAILED,
                Duration.ofMillis(3),
                "java.lang.NullPointerException"),
            new TestCaseResult(
                suite, "paysByCard", SKIPPED, Duration.ZERO, "payment API not ready"),
            new TestCaseResult(
                suite,
                "addsTotals",
                FAILED,
                Duration.ofMillis(3),
                "total ==> expected: <3> but was: <2>")),
        results);
  }

  @Test
  void testsuitesRootWithNestedSuitesUsesTheSuiteNameWhenClassnameIsMissing() throws IOException {
    Path report =
        write(
            "junit.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="jest tests" tests="4">
              <testsuite name="cart" tests="3">
                <testsuite name="cart coupons">
                  <testcase name="applies a coupon" time="1,234.5">
                    <failure>
                      Error: coupon rejected
                      at apply (cart.js:3:9)
                    </failure>
                  </testcase>
                </testsuite>
                <testcase classname="cart" name="totals" time="0.25"/>
                <testcase name="skipped without reason"><skipped/></testcase>
              </testsuite>
              <testsuite name="checkout">
                <testcase classname="checkout" name="fails and errs">
                  <failure message="first"/>
                  <error message="second"/>
                  <system-out>log</system-out>
                </testcase>
              </testsuite>
            </testsuites>
            """);

    List<TestCaseResult> results = JUnitXmlParser.parse(report);

    assertEquals(
        List.of(
            new TestCaseResult(
                "cart coupons",
                "applies a coupon",
                FAILED,
                Duration.ofMillis(1_234_500),
                "Error: coupon rejected"),
            new TestCaseResult("cart", "totals", PASSED, Duration.ofMillis(250), null),
            new TestCaseResult("cart", "skipped without reason", SKIPPED, null, null),
            new TestCaseResult("checkout", "fails and errs", FAILED, null, "first")),
        results);
  }

  @Test
  void externalEntityNamingALocalFileIsRefusedWithoutReadingIt() throws IOException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
    Path report =
        write(
            "TEST-evil.xml",
            """
            <?xml version="1.0"?>
            <!DOCTYPE testsuite [<!ENTITY xxe SYSTEM "%s">]>
            <testsuite name="evil">
              <testcase classname="evil" name="leak"><failure>&xxe;</failure></testcase>
            </testsuite>
            """
                .formatted(secret.toUri()));

    IOException refused = assertThrows(IOException.class, () -> JUnitXmlParser.parse(report));

    assertFalse(String.valueOf(refused.getMessage()).contains(SECRET));
    for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
      assertFalse(String.valueOf(cause.getMessage()).contains(SECRET));
    }
  }

  @Test
  void externalDtdAndParameterEntitiesAreNeverFetched() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger fetches = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = "<!ENTITY leak \"fetched\">".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Path withExternalDtd =
          write(
              "junit-dtd.xml",
              """
              <?xml version="1.0"?>
              <!DOCTYPE testsuite SYSTEM "%s/report.dtd">
              <testsuite name="evil"><testcase classname="evil" name="&leak;"/></testsuite>
              """
                  .formatted(base));
      Path withParameterEntity =
          write(
              "junit-param.xml",
              """
              <?xml version="1.0"?>
              <!DOCTYPE testsuite [<!ENTITY %% remote SYSTEM "%s/remote.dtd"> %%remote;]>
              <testsuite name="evil"><testcase classname="evil" name="&leak;"/></testsuite>
              """
                  .formatted(base));

      assertThrows(IOException.class, () -> JUnitXmlParser.parse(withExternalDtd));
      assertThrows(IOException.class, () -> JUnitXmlParser.parse(withParameterEntity));
      assertEquals(0, fetches.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void entityExpansionBombIsRefused() throws IOException {
    Path report =
        write(
            "junit-bomb.xml",
            """
            <?xml version="1.0"?>
            <!DOCTYPE testsuite [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            ]>
            <testsuite name="bomb"><testcase classname="bomb" name="&c;"/></testsuite>
            """);

    assertThrows(IOException.class, () -> JUnitXmlParser.parse(report));
  }

  @Test
  void documentWithAnotherRootIsNotAReport() throws IOException {
    Path report = write("junit-platform.xml", "<configuration><junit/></configuration>");

    IOException refused = assertThrows(IOException.class, () -> JUnitXmlParser.parse(report));

    assertTrue(refused.getMessage().contains("<configuration>"));
  }

  @Test
  void malformedXmlIsAnIOExceptionNamingTheFile() throws IOException {
    Path report = write("junit-truncated.xml", "<testsuite name=\"cut\"><testcase name=\"a\"");

    IOException refused = assertThrows(IOException.class, () -> JUnitXmlParser.parse(report));

    assertTrue(refused.getMessage().contains("junit-truncated.xml"));
  }

  @Test
  void unusableTimeLeavesTheDurationUnknown() throws IOException {
    Path report =
        write(
            "junit-time.xml",
            "<testsuite><testcase classname=\"c\" name=\"n\" time=\"soon\"/>"
                + "<testcase classname=\"c\" name=\"m\" time=\"-1\"/></testsuite>");

    List<TestCaseResult> results = JUnitXmlParser.parse(report);

    assertEquals(new TestCaseResult("c", "n", PASSED, null, null), results.get(0));
    assertEquals(new TestCaseResult("c", "m", PASSED, null, null), results.get(1));
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private Path copyFixture(String name) throws IOException {
    try (InputStream in = JUnitXmlParserTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing fixture " + name);
      }
      Path target = dir.resolve(name);
      Files.copy(in, target);
      return target;
    }
  }
}

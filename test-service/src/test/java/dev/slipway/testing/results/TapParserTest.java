package dev.slipway.testing.results;

import static dev.slipway.testing.results.TestOutcome.FAILED;
import static dev.slipway.testing.results.TestOutcome.PASSED;
import static dev.slipway.testing.results.TestOutcome.SKIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TAP 12/13 and Node's test runner output become test cases, nested ones under their parents. */
class TapParserTest {

  @Test
  void nodeTwentyOutputWithDescribeBlockGivesOneCasePerTestAndNoneForTheGroup() throws IOException {
    List<TestCaseResult> results = TapParser.parse(fixture("node20-describe.tap"));

    assertEquals(
        List.of(
            new TestCaseResult("", "adds numbers", PASSED, millis("0.936608"), null),
            new TestCaseResult(
                "", "compares totals", FAILED, millis("1.133182"), "total should be 3\n\n2 !== 3"),
            new TestCaseResult(
                "", "not ready yet", SKIPPED, millis("0.093904"), "waiting for the payment API"),
            new TestCaseResult("cart", "starts empty", PASSED, millis("0.857067"), null),
            new TestCaseResult(
                "cart",
                "rejects negative quantities",
                FAILED,
                millis("1.206933"),
                "Expected values to be strictly equal:\n\n'a' !== 'b'"),
            new TestCaseResult(
                "cart",
                "supports coupons",
                SKIPPED,
                millis("0.118933"),
                "coupons not implemented")),
        results);
  }

  @Test
  void nodeNestedSubtestsCarryTheirParentsAsSuiteAndAParentFailingOnItsOwnIsCounted()
      throws IOException {
    List<TestCaseResult> results = TapParser.parse(fixture("node20-nested-subtests.tap"));

    assertEquals(
        List.of(
            new TestCaseResult("checkout", "reserves stock", PASSED, millis("0.653176"), null),
            new TestCaseResult(
                "checkout > charges the card",
                "with 3-D Secure",
                FAILED,
                millis("1.22951"),
                "Expected values to be strictly equal:\n+ actual - expected\n\n+ 'declined'\n-"
                    + " 'approved'"),
            new TestCaseResult(
                "sends the receipt", "renders the template", PASSED, millis("0.097196"), null),
            new TestCaseResult(
                "", "sends the receipt", FAILED, millis("0.319318"), "mail server unreachable")),
        results);
  }

  @Test
  void tapTwelveWithoutNumbersOrDashesIsRead() {
    List<TestCaseResult> results =
        TapParser.parse(List.of("1..3", "ok first", "not ok - second", "ok 3", "ok"));

    assertEquals(
        List.of(
            new TestCaseResult("", "first", PASSED, null, null),
            new TestCaseResult("", "second", FAILED, null, null),
            new TestCaseResult("", "test 3", PASSED, null, null),
            new TestCaseResult("", "unnamed test", PASSED, null, null)),
        results);
  }

  @Test
  void skipAndTodoDirectivesAreSkippedWhateverTheirOkAndCase() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "ok 1 - on windows # SKIP not on linux",
                "ok 2 - no reason #skip",
                "not ok 3 - later # TODO write the importer",
                "ok 4 - done early # todo",
                "not ok 5 - skipped but not ok # Skipped: flaky"));

    assertEquals(
        List.of(
            new TestCaseResult("", "on windows", SKIPPED, null, "not on linux"),
            new TestCaseResult("", "no reason", SKIPPED, null, null),
            new TestCaseResult("", "later", SKIPPED, null, "write the importer"),
            new TestCaseResult("", "done early", SKIPPED, null, null),
            new TestCaseResult("", "skipped but not ok", SKIPPED, null, "flaky")),
        results);
  }

  @Test
  void escapedHashIsPartOfTheNameAndAnOrdinaryHashIsNoDirective() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "ok 1 - issue \\# 12 \\\\ done", "not ok 2 - parses C# code # not a directive"));

    assertEquals("issue # 12 \\ done", results.get(0).name());
    assertEquals(PASSED, results.get(0).outcome());
    assertEquals("parses C# code # not a directive", results.get(1).name());
    assertEquals(FAILED, results.get(1).outcome());
  }

  @Test
  void yamlMessageIsPreferredOverErrorAndQuotedScalarsAreUnquoted() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "TAP version 13",
                "not ok 1 - quoted",
                "  ---",
                "  message: \"expected \\\"a\\\"\\nbut got b\"",
                "  error: 'ignored because message wins'",
                "  duration_ms: 12.5",
                "  ...",
                "not ok 2 - single quotes",
                "  ---",
                "  error: 'it''s broken'",
                "  data:",
                "    message: nested values are not the test's message",
                "  ...",
                "not ok 3 - folded",
                "  ---",
                "  message: >-",
                "    one",
                "    sentence",
                "  duration_ms: not-a-number",
                "  ..."));

    assertEquals(
        List.of(
            new TestCaseResult(
                "", "quoted", FAILED, Duration.ofNanos(12_500_000), "expected \"a\"\nbut got b"),
            new TestCaseResult("", "single quotes", FAILED, null, "it's broken"),
            new TestCaseResult("", "folded", FAILED, null, "one sentence")),
        results);
  }

  @Test
  void testLinesInsideAYamlBlockAreNotTests() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "not ok 1 - prints TAP in its error",
                "  ---",
                "  error: |-",
                "    child output:",
                "    ok 1 - not mine",
                "    not ok 2 - not mine either",
                "  stack: |-",
                "    Bail out! also not mine",
                "  ...",
                "ok 2 - next"));

    assertEquals(
        List.of(
            new TestCaseResult(
                "",
                "prints TAP in its error",
                FAILED,
                null,
                "child output:\nok 1 - not mine\nnot ok 2 - not mine either"),
            new TestCaseResult("", "next", PASSED, null, null)),
        results);
  }

  @Test
  void applicationLogLinesBetweenTestsAreIgnoredAndCannotOpenAYamlBlock() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "> shop@1.0.0 test",
                "> node --test",
                "ok 1 - boots",
                "[server] listening on 3000",
                "---",
                "okay, seeding the database",
                "ok 2 - seeds",
                "2024-05-01T10:00:00Z INFO done",
                "1..2"));

    assertEquals(
        List.of(
            new TestCaseResult("", "boots", PASSED, null, null),
            new TestCaseResult("", "seeds", PASSED, null, null)),
        results);
  }

  @Test
  void uniformlyIndentedOutputWithWindowsLineEndsIsRead() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "    TAP version 13\r\n",
                "    ok 1 - indented\r\n",
                "      ---\r\n",
                "      duration_ms: 1\r\n",
                "      ...\r\n",
                "\tnot ok 2 - tabbed\r\n"));

    assertEquals(
        List.of(
            new TestCaseResult("", "indented", PASSED, Duration.ofMillis(1), null),
            new TestCaseResult("", "tabbed", FAILED, null, null)),
        results);
  }

  @Test
  void bailOutStopsParsingAndFailsTheRunEvenWhenEverythingBeforePassed() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "1..3", "ok 1 - connects", "Bail out! database unreachable", "ok 2 - never read"));

    assertEquals(
        List.of(
            new TestCaseResult("", "connects", PASSED, null, null),
            new TestCaseResult("", "Bail out!", FAILED, null, "database unreachable")),
        results);
  }

  @Test
  void subtestsCutOffByABailOutKeepTheAnnouncedParentAsSuite() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "# Subtest: payments",
                "    # Subtest: refunds",
                "    ok 1 - refunds",
                "    not ok 2 - chargebacks",
                "Bail out!"));

    assertEquals(
        List.of(
            new TestCaseResult("payments", "refunds", PASSED, null, null),
            new TestCaseResult("payments", "chargebacks", FAILED, null, null),
            new TestCaseResult("", "Bail out!", FAILED, null, null)),
        results);
  }

  @Test
  void aFailedParentWithoutNodeFailureTypeIsNotCountedWhenASubtestExplainsIt() {
    List<TestCaseResult> results =
        TapParser.parse(
            List.of(
                "    not ok 1 - inner",
                "not ok 1 - outer",
                "    ok 1 - fine",
                "not ok 2 - broken on its own",
                "    ok 1 - fine too",
                "ok 3 - passing group"));

    assertEquals(
        List.of(
            new TestCaseResult("outer", "inner", FAILED, null, null),
            new TestCaseResult("broken on its own", "fine", PASSED, null, null),
            new TestCaseResult("", "broken on its own", FAILED, null, null),
            new TestCaseResult("passing group", "fine too", PASSED, null, null)),
        results);
  }

  @Test
  void noTestLinesGiveNoResults() {
    assertEquals(List.of(), TapParser.parse(List.of("1..0 # SKIP no tests here", "")));
  }

  @Test
  void aTestWithoutYamlHasNoDurationOrMessage() {
    TestCaseResult result = TapParser.parse(List.of("not ok 1 - bare")).get(0);

    assertNull(result.duration());
    assertNull(result.message());
  }

  @Test
  void endlessTestPointsAreReadLineByLineUpToTheCapAndTheCutOffRunFails() {
    TapParser.Feed feed = TapParser.feed();
    for (int i = 0; i < 3 * TapParser.MAX_CASES; i++) {
      feed.line("ok " + i + " - endless");
    }

    List<TestCaseResult> results = feed.finish();

    assertEquals(TapParser.MAX_CASES + 1, results.size());
    TestCaseResult last = results.get(results.size() - 1);
    assertEquals(TapParser.TOO_MANY_NAME, last.name());
    assertEquals(FAILED, last.outcome());
  }

  @Test
  void anEndlessYamlBlockKeepsOnlyItsFirstChars() {
    TapParser.Feed feed = TapParser.feed();
    feed.line("not ok 1 - huge");
    feed.line("  ---");
    feed.line("  message: kept");
    for (int i = 0; i < 100_000; i++) {
      feed.line("  filler: " + "x".repeat(100));
    }
    feed.line("  ...");

    List<TestCaseResult> results = feed.finish();

    assertEquals(1, results.size());
    assertEquals("kept", results.get(0).message());
  }

  private static Duration millis(String value) {
    return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1_000_000d));
  }

  private static List<String> fixture(String name) throws IOException {
    try (InputStream in = TapParserTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}

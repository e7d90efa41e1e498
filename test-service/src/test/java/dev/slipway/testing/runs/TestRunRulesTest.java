package dev.slipway.testing.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.results.TestOutcome;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules of a run's life as tables: transitions, counts, unreported nodes, messages. */
class TestRunRulesTest {

  @ParameterizedTest(name = "{0} may become {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PENDING   | CREATING, CANCELLED, ERRORED",
        "CREATING  | BUILDING, RUNNING, SUCCEEDED, FAILED, ERRORED, CANCELLED",
        "BUILDING  | RUNNING, SUCCEEDED, FAILED, ERRORED, CANCELLED",
        "RUNNING   | SUCCEEDED, FAILED, ERRORED, CANCELLED",
        "SUCCEEDED | ''",
        "FAILED    | ''",
        "ERRORED   | ''",
        "CANCELLED | ''",
      })
  void aRunOnlyMovesForwardAndNeverOutOfAnEnd(TestRunPhase from, String allowed) {
    Set<TestRunPhase> expected =
        allowed.isBlank()
            ? Set.of()
            : Arrays.stream(allowed.split(","))
                .map(String::strip)
                .map(TestRunPhase::valueOf)
                .collect(Collectors.toSet());
    Set<TestRunPhase> actual =
        Arrays.stream(TestRunPhase.values()).filter(from::canBecome).collect(Collectors.toSet());
    assertEquals(expected, actual);
  }

  @ParameterizedTest(name = "{0} -> unreported nodes {1}")
  @CsvSource({
    "SUCCEEDED, ERRORED",
    "FAILED, ERRORED",
    "ERRORED, ERRORED",
    "CANCELLED, CANCELLED",
  })
  void nodesThatNeverReportedShareTheRunsFate(TestRunPhase ending, NodeStatus node) {
    assertEquals(node, TestRunRules.unreportedNode(ending));
  }

  @Test
  void countsAddUpEveryNodesCasesByOutcome() {
    RunResult result =
        new RunResult(
            TestRunPhase.FAILED,
            "1 failed",
            List.of(
                node(0, TestOutcome.PASSED, TestOutcome.PASSED, TestOutcome.SKIPPED),
                node(1, TestOutcome.FAILED, TestOutcome.PASSED),
                node(2)));

    assertEquals(new TestRun.Counts(3, 1, 1), TestRunRules.counts(result));
    assertEquals(
        new TestRun.Counts(0, 0, 0),
        TestRunRules.counts(RunResult.ended(TestRunPhase.ERRORED, "bad bundle")));
  }

  @ParameterizedTest(name = "{0} characters -> {1}")
  @CsvSource({"0, 0", "999, 999", "1000, 1000", "1001, 1000", "5000, 1000"})
  void aStoredMessageIsAtMostAThousandCharactersEndingInAnEllipsisWhenCut(int length, int stored) {
    String message = "x".repeat(length);

    String kept = TestRunRules.storedMessage(message);

    assertEquals(stored, kept.length());
    assertEquals(length > stored, kept.endsWith("\u2026"));
  }

  @Test
  void noMessageStaysNoMessage() {
    assertEquals(null, TestRunRules.storedMessage(null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "abcdef1234567890, 4, 'not run again: commit abcdef1 with this artifact was tested by run #4,"
        + " whose verdict this run reuses'",
    "abc, 12, 'not run again: commit abc with this artifact was tested by run #12, whose verdict"
        + " this run reuses'",
  })
  void aReusedVerdictNamesTheShortCommitAndTheRunItCameFrom(
      String commit, int number, String message) {
    assertEquals(message, TestRunRules.reusedVerdict(commit, number));
  }

  private static NodeResult node(int index, TestOutcome... outcomes) {
    List<TestCaseResult> cases =
        Arrays.stream(outcomes)
            .map(o -> new TestCaseResult("S", "case-" + index + "-" + o, o, null, null))
            .toList();
    return new NodeResult(index, NodeStatus.PASSED, 0, null, null, cases);
  }
}

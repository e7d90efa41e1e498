package dev.slipway.testing.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.results.TestOutcome;
import dev.slipway.testing.runs.FlakyDetection.FailedCase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Flaky detection as a table: what a succeeded run passed against what earlier runs failed. */
class FlakyDetectionTest {

  static final UUID RUN1 = UUID.fromString("00000000-0000-4000-8000-000000000001");
  static final UUID RUN2 = UUID.fromString("00000000-0000-4000-8000-000000000002");

  /** A succeeded run's result with these cases ("suite/name:outcome"), on two nodes. */
  static RunResult now(String... cases) {
    List<TestCaseResult> first = new ArrayList<>();
    List<TestCaseResult> second = new ArrayList<>();
    for (int i = 0; i < cases.length; i++) {
      String[] nameAndOutcome = cases[i].split(":");
      String[] suiteAndName = nameAndOutcome[0].split("/");
      TestCaseResult c =
          new TestCaseResult(
              suiteAndName[0],
              suiteAndName[1],
              TestOutcome.valueOf(nameAndOutcome[1].toUpperCase()),
              null,
              null);
      (i % 2 == 0 ? first : second).add(c);
    }
    return new RunResult(
        TestRunPhase.SUCCEEDED,
        null,
        List.of(
            new NodeResult(0, NodeStatus.PASSED, 0, null, null, first),
            new NodeResult(1, NodeStatus.PASSED, 0, null, null, second)));
  }

  static FailedCase failed(UUID run, String suiteSlashName) {
    String[] s = suiteSlashName.split("/");
    return new FailedCase(run, s[0], s[1]);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(
            "no earlier failure: nothing is flaky",
            now("A/a:passed", "A/b:passed"),
            List.of(),
            List.of()),
        Arguments.of(
            "a case failed before and passes now is flaky",
            now("A/a:passed", "A/b:passed"),
            List.of(failed(RUN1, "A/b")),
            List.of(failed(RUN1, "A/b"))),
        Arguments.of(
            "a case that failed before and is skipped now is not flaky",
            now("A/a:passed", "A/b:skipped"),
            List.of(failed(RUN1, "A/b")),
            List.of()),
        Arguments.of(
            "a case that failed before and has no result now is not flaky",
            now("A/a:passed"),
            List.of(failed(RUN1, "A/b")),
            List.of()),
        Arguments.of(
            "the same name in another suite is another case",
            now("A/a:passed"),
            List.of(failed(RUN1, "B/a")),
            List.of()),
        Arguments.of(
            "a case that failed in two earlier runs is reported once, with the first run",
            now("A/a:passed"),
            List.of(failed(RUN1, "A/a"), failed(RUN2, "A/a")),
            List.of(failed(RUN1, "A/a"))),
        Arguments.of(
            "several flaky cases keep the earlier failures' order",
            now("A/a:passed", "A/b:passed", "A/c:passed"),
            List.of(failed(RUN1, "A/c"), failed(RUN1, "A/x"), failed(RUN2, "A/a")),
            List.of(failed(RUN1, "A/c"), failed(RUN2, "A/a"))),
        Arguments.of(
            "a case passed on any node counts",
            now("A/a:failed", "A/a:passed"),
            List.of(failed(RUN1, "A/a")),
            List.of(failed(RUN1, "A/a"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void aCaseIsFlakyWhenItPassesNowAfterFailingInAnEarlierRunOfTheCommit(
      String situation, RunResult result, List<FailedCase> failedBefore, List<FailedCase> flaky) {
    assertEquals(flaky, FlakyDetection.flaky(result, failedBefore));
  }

  static Stream<Arguments> passedAny() {
    return Stream.of(
        Arguments.of(now("A/a:passed"), true),
        Arguments.of(now("A/a:failed", "A/b:skipped"), false),
        Arguments.of(RunResult.ended(TestRunPhase.SUCCEEDED, null), false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("passedAny")
  void onlyARunThatPassedSomeCaseCanRevealFlakyOnes(RunResult result, boolean passedAny) {
    assertEquals(passedAny, FlakyDetection.passedAny(result));
  }
}

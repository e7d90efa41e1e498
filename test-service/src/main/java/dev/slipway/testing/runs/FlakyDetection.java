package dev.slipway.testing.runs;

import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.results.TestOutcome;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which test cases are flaky: those a succeeded run passed that an earlier failed run of the same
 * commit failed (a pure rule; the store supplies the earlier failures).
 */
public final class FlakyDetection {

  private FlakyDetection() {}

  /** A test case that failed in run {@code runId}. */
  public record FailedCase(UUID runId, String suite, String name) {}

  /** A test case by suite and name, the identity flakiness is judged on. */
  record CaseKey(String suite, String name) {}

  /** Whether {@code result} passed any test case at all (else nothing can be flaky). */
  public static boolean passedAny(RunResult result) {
    return !passed(result).isEmpty();
  }

  /**
   * The cases of {@code failedBefore} (in their order) that {@code result} passed, each once: the
   * first earlier failure of a case names the failed run.
   */
  public static List<FailedCase> flaky(RunResult result, List<FailedCase> failedBefore) {
    Set<CaseKey> passedNow = passed(result);
    Map<CaseKey, FailedCase> flaky = new LinkedHashMap<>();
    for (FailedCase c : failedBefore) {
      CaseKey key = new CaseKey(c.suite(), c.name());
      if (passedNow.contains(key)) {
        flaky.putIfAbsent(key, c);
      }
    }
    return List.copyOf(flaky.values());
  }

  private static Set<CaseKey> passed(RunResult result) {
    Set<CaseKey> passed = new LinkedHashSet<>();
    for (NodeResult n : result.nodes()) {
      for (TestCaseResult c : n.cases()) {
        if (c.outcome() == TestOutcome.PASSED) {
          passed.add(new CaseKey(c.suite(), c.name()));
        }
      }
    }
    return passed;
  }
}

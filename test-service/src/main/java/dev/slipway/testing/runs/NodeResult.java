package dev.slipway.testing.runs;

import dev.slipway.testing.results.TestCaseResult;
import java.time.Duration;
import java.util.List;

/**
 * What one node reported: its status, the exit code of the step that decided it (null when no step
 * ran), how long it took, why it did not pass, and the test cases its output and JUnit reports
 * listed.
 */
public record NodeResult(
    int index,
    NodeStatus status,
    Integer exitCode,
    Duration duration,
    String message,
    List<TestCaseResult> cases) {

  public NodeResult {
    cases = List.copyOf(cases);
  }
}

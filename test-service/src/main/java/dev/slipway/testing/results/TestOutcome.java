package dev.slipway.testing.results;

/**
 * How one test case ended; a JUnit {@code <error>} is a {@link #FAILED} and a TAP {@code # TODO}
 * test is {@link #SKIPPED}.
 */
public enum TestOutcome {
  PASSED,
  FAILED,
  SKIPPED
}

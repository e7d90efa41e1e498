package dev.slipway.testing.results;

import java.time.Duration;
import java.util.Objects;

/**
 * One test case read from a report: {@code suite} is the JUnit class name or the TAP parent test
 * names joined by {@value #SUITE_SEPARATOR} (empty for a top-level TAP test); {@code duration} and
 * {@code message} may be null.
 */
public record TestCaseResult(
    String suite, String name, TestOutcome outcome, Duration duration, String message) {

  /** Joins the names of nested TAP parents into one suite name. */
  public static final String SUITE_SEPARATOR = " > ";

  public TestCaseResult {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(outcome, "outcome");
  }
}

package dev.slipway.testing.runs;

import dev.slipway.events.testrun.TestRunStatus;
import java.util.Locale;

/**
 * Heroku CI's test-run statuses: {@code pending} (queued), {@code creating} (workspace, add-ons and
 * environment), {@code building} (the buildpack's test-compile), {@code running} (test-setup and
 * test), then one terminal status. {@code failed} means the user's tests failed; {@code errored}
 * means the run never got a verdict (platform failure, timeout, failing test-setup).
 */
public enum TestRunPhase {
  PENDING,
  CREATING,
  BUILDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ERRORED,
  CANCELLED;

  /** Whether the run is over and will not change again. */
  public boolean isTerminal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }

  /** Whether a run may move from this phase to {@code next}: only forward, never out of an end. */
  public boolean canBecome(TestRunPhase next) {
    return switch (this) {
      case PENDING -> next == CREATING || next == CANCELLED || next == ERRORED;
      case CREATING -> next == BUILDING || next == RUNNING || next.isTerminal();
      case BUILDING -> next == RUNNING || next.isTerminal();
      case RUNNING -> next.isTerminal();
      default -> false;
    };
  }

  /** The lower-case name used in the API, the database and events. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; {@code IllegalArgumentException} names the accepted values. */
  public static TestRunPhase of(String wireName) {
    for (TestRunPhase p : values()) {
      if (p.wireName().equals(wireName)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "must be one of pending, creating, building, running, succeeded, failed, errored,"
            + " cancelled");
  }

  /** The status test-run events carry for this phase. */
  public TestRunStatus eventStatus() {
    return TestRunStatus.valueOf(name());
  }
}

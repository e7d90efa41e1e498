package dev.slipway.build.builds;

import dev.slipway.events.build.BuildStatus;
import java.util.Locale;
import java.util.Set;

/**
 * Where a build is: queued, running, then one terminal outcome. {@code failed} means the user's
 * code (compile error, buildpack refused the app); {@code errored} means Slipway failed (fetch,
 * executor, timeout, restart).
 */
public enum BuildPhase {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ERRORED,
  CANCELLED;

  /** Whether the build is over and will not change again. */
  public boolean isTerminal() {
    return this != QUEUED && this != RUNNING;
  }

  /** Whether a build may move from this phase to {@code next}. */
  public boolean canBecome(BuildPhase next) {
    return switch (this) {
      case QUEUED -> Set.of(RUNNING, CANCELLED, ERRORED).contains(next);
      case RUNNING -> next.isTerminal();
      default -> false;
    };
  }

  /** The lower-case name used in the API and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; {@code IllegalArgumentException} names the accepted values. */
  public static BuildPhase of(String wireName) {
    for (BuildPhase p : values()) {
      if (p.wireName().equals(wireName)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "must be one of queued, running, succeeded, failed, errored, cancelled");
  }

  /** The status a {@code build.finished} event carries for this terminal phase. */
  public BuildStatus eventStatus() {
    return switch (this) {
      case SUCCEEDED -> BuildStatus.SUCCEEDED;
      case FAILED -> BuildStatus.FAILED;
      case ERRORED -> BuildStatus.ERRORED;
      case CANCELLED -> BuildStatus.CANCELLED;
      default -> BuildStatus.PENDING;
    };
  }
}

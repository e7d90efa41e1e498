package dev.slipway.testing.runs;

import java.util.Locale;

/**
 * How one node ended: {@code passed}/{@code failed} are the tests' verdict (a failing test-compile
 * is the user's code, so {@code failed} too); {@code errored} is a failing test-setup or the
 * platform; {@code timed_out} and {@code cancelled} say the node was stopped.
 */
public enum NodeStatus {
  RUNNING,
  PASSED,
  FAILED,
  ERRORED,
  TIMED_OUT,
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NodeStatus of(String wireName) {
    return valueOf(wireName.toUpperCase(Locale.ROOT));
  }
}

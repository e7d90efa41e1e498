package dev.slipway.testing.commitstatus;

/**
 * The state of a test run as shown on its commit: {@link #FAILURE} means the tests failed, {@link
 * #ERROR} that the platform did.
 */
public enum CommitState {
  PENDING,
  SUCCESS,
  FAILURE,
  ERROR
}

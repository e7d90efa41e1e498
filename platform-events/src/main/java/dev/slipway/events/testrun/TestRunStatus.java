package dev.slipway.events.testrun;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Heroku CI's test-run statuses: {@code failed} means the user's tests failed, {@code errored}
 * means the platform did.
 */
public enum TestRunStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("creating")
  CREATING,
  @JsonProperty("building")
  BUILDING,
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED,
  @JsonProperty("errored")
  ERRORED,
  @JsonProperty("cancelled")
  CANCELLED;

  /** Whether the run is over and its status will not change again. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == ERRORED || this == CANCELLED;
  }
}

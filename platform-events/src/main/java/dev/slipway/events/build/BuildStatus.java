package dev.slipway.events.build;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Heroku's build statuses, plus {@code errored} (our fault) and {@code cancelled}. */
public enum BuildStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED,
  /** Slipway failed (fetch, executor, timeout), not the user's code. */
  @JsonProperty("errored")
  ERRORED,
  /** Someone cancelled it, or a newer push to the same branch superseded it. */
  @JsonProperty("cancelled")
  CANCELLED;

  /** Whether the build is over and its status will not change again. */
  public boolean isTerminal() {
    return this != PENDING;
  }
}

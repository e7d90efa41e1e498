package dev.slipway.events.build;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Heroku's build statuses. */
public enum BuildStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED;

  /** Whether the build is over and its status will not change again. */
  public boolean isTerminal() {
    return this != PENDING;
  }
}

package dev.slipway.events.release;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Heroku's release statuses; a release is pending while its release phase runs. */
public enum ReleaseStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED;

  /** Whether the release is over and its status will not change again. */
  public boolean isTerminal() {
    return this != PENDING;
  }
}

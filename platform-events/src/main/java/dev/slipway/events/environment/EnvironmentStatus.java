package dev.slipway.events.environment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Heroku's review-app statuses, used for every environment's lifecycle. */
public enum EnvironmentStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("creating")
  CREATING,
  @JsonProperty("created")
  CREATED,
  @JsonProperty("deleting")
  DELETING,
  @JsonProperty("deleted")
  DELETED,
  @JsonProperty("errored")
  ERRORED;

  /** Whether the environment is gone or broken for good; {@code created} can still be deleted. */
  public boolean isTerminal() {
    return this == DELETED || this == ERRORED;
  }
}

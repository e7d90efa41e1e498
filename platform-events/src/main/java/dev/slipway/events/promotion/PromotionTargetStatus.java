package dev.slipway.events.promotion;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Heroku's statuses for one target app of a promotion. */
public enum PromotionTargetStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED;

  /** Whether the target's release is over and its status will not change again. */
  public boolean isTerminal() {
    return this != PENDING;
  }
}

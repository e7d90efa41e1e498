package dev.slipway.events.promotion;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Heroku's promotion statuses: a completed promotion may still have failed targets. */
public enum PromotionStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("completed")
  COMPLETED;

  /** Whether every target has reached a terminal status. */
  public boolean isTerminal() {
    return this == COMPLETED;
  }
}

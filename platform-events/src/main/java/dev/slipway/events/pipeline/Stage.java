package dev.slipway.events.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A pipeline stage an app is coupled to, in Heroku's order: review, staging, production. */
public enum Stage {
  @JsonProperty("review")
  REVIEW,
  @JsonProperty("staging")
  STAGING,
  @JsonProperty("production")
  PRODUCTION
}

package dev.slipway.events.environment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an environment is for: a pipeline stage, or a disposable test-run environment. */
public enum EnvironmentKind {
  @JsonProperty("review")
  REVIEW,
  @JsonProperty("staging")
  STAGING,
  @JsonProperty("production")
  PRODUCTION,
  @JsonProperty("test")
  TEST
}

package dev.slipway.events.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of git host a pipeline's repository lives on; it selects the webhook dialect. */
public enum Forge {
  @JsonProperty("github")
  GITHUB,
  @JsonProperty("gitlab")
  GITLAB,
  @JsonProperty("generic")
  GENERIC
}

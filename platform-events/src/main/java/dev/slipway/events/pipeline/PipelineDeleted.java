package dev.slipway.events.pipeline;

import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;

/** A pipeline was destroyed; projections drop it and its review apps are torn down. */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineDeleted(String pipelineId, String name) implements EventPayload {

  public PipelineDeleted {
    text(pipelineId, "pipelineId");
    text(name, "name");
  }
}

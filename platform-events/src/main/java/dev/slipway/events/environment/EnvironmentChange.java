package dev.slipway.events.environment;

import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;

/**
 * An environment (for review apps, a Kubernetes namespace) as it stands after it was created,
 * modified or deleted; {@code prNumber} is set for review apps only and {@code url} once it serves.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentChange(
    String pipelineId,
    String environmentId,
    String appName,
    EnvironmentKind kind,
    Integer prNumber,
    String url,
    EnvironmentStatus status)
    implements EventPayload {

  public EnvironmentChange {
    text(pipelineId, "pipelineId");
    text(environmentId, "environmentId");
    text(appName, "appName");
    present(kind, "kind");
    positive(prNumber, "prNumber", true);
    present(status, "status");
  }

  @Override
  public String subjectId() {
    return environmentId;
  }
}

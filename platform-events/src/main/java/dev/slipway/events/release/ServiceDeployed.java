package dev.slipway.events.release;

import static dev.slipway.events.PayloadChecks.digest;
import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;

/**
 * An app's release is running in an environment: first deployed, upgraded or rolled back (the event
 * type says which). {@code url} is null when the app has no web process.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceDeployed(
    String pipelineId,
    String appName,
    String environmentId,
    @JsonProperty(required = true) int releaseVersion,
    String artifactDigest,
    String url)
    implements EventPayload {

  public ServiceDeployed {
    text(pipelineId, "pipelineId");
    text(appName, "appName");
    text(environmentId, "environmentId");
    positive(releaseVersion, "releaseVersion", false);
    digest(artifactDigest, "artifactDigest", false);
  }

  /** The app: CDEvents' service subject is the thing deployed, not the place. */
  @Override
  public String subjectId() {
    return appName;
  }
}

package dev.slipway.events.release;

import static dev.slipway.events.PayloadChecks.digest;
import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;

/**
 * A release's release phase ended and the release is live ({@code succeeded}) or was abandoned
 * ({@code failed}).
 *
 * <p>{@code description} is Heroku's human line ("Deploy 1a2b3c4", "Promote shop-staging v12");
 * {@code cause} is the machine-readable reason: {@code build}, {@code promotion}, {@code rollback},
 * {@code config} or {@code manual}.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseFinished(
    String pipelineId,
    String appName,
    String releaseId,
    @JsonProperty(required = true) int version,
    String artifactDigest,
    ReleaseStatus status,
    String description,
    String cause)
    implements EventPayload {

  public ReleaseFinished {
    text(pipelineId, "pipelineId");
    text(appName, "appName");
    text(releaseId, "releaseId");
    positive(version, "version", false);
    digest(artifactDigest, "artifactDigest", false);
    present(status, "status");
    present(description, "description");
    text(cause, "cause");
  }

  @Override
  public String subjectId() {
    return releaseId;
  }
}

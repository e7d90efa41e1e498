package dev.slipway.events.build;

import static dev.slipway.events.PayloadChecks.digest;
import static dev.slipway.events.PayloadChecks.noCredentials;
import static dev.slipway.events.PayloadChecks.sha;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.CdeventsContent;
import dev.slipway.events.EventPayload;

/**
 * The artifact a build produced (a slug, or an OCI image with the Kubernetes executor), packaged
 * from a commit and published where releases fetch it ({@code uri}); the event type says which of
 * the two happened. Its subject is the artifact's package URL, the one service events name.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuiltArtifact(
    String pipelineId,
    String buildId,
    String commitSha,
    String repositoryUrl,
    String artifactDigest,
    String uri,
    @JsonProperty(required = true) long size)
    implements EventPayload {

  public BuiltArtifact {
    text(pipelineId, "pipelineId");
    text(buildId, "buildId");
    sha(commitSha, "commitSha");
    noCredentials(text(repositoryUrl, "repositoryUrl"), "repositoryUrl");
    digest(artifactDigest, "artifactDigest", false);
    text(uri, "uri");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
  }

  /** The artifact's package URL, as {@code build.finished} and the service events name it. */
  @Override
  public String subjectId() {
    return CdeventsContent.artifactId(pipelineId, artifactDigest);
  }
}

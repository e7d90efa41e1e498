package dev.slipway.events.pipeline;

import static dev.slipway.events.PayloadChecks.list;
import static dev.slipway.events.PayloadChecks.noCredentials;
import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;
import java.time.Instant;
import java.util.List;

/**
 * The whole state of a pipeline after it was created or updated; the latest one per key on the
 * compacted pipelines topic is all a service needs for its projection.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineSnapshot(
    String pipelineId,
    String name,
    String repositoryUrl,
    Forge forge,
    String branch,
    List<Coupling> couplings,
    AutoDeploy autoDeploy,
    ReviewApps reviewApps,
    Instant updatedAt)
    implements EventPayload {

  public PipelineSnapshot {
    text(pipelineId, "pipelineId");
    text(name, "name");
    noCredentials(repositoryUrl, "repositoryUrl");
    present(forge, "forge");
    text(branch, "branch");
    couplings = list(couplings, "couplings");
    present(autoDeploy, "autoDeploy");
    present(reviewApps, "reviewApps");
    present(updatedAt, "updatedAt");
  }

  /** The app coupled to a stage; several apps may share one stage. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Coupling(Stage stage, String appName) {
    public Coupling {
      present(stage, "stage");
      text(appName, "appName");
    }
  }

  /** Whether a green build of {@code branch} is released to staging without anyone asking. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AutoDeploy(
      @JsonProperty(required = true) boolean enabled,
      String branch,
      @JsonProperty(required = true) boolean waitForCi) {
    public AutoDeploy {
      text(branch, "branch");
    }
  }

  /** Review-app policy: created per pull request, destroyed when closed or stale. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ReviewApps(
      @JsonProperty(required = true) boolean enabled,
      @JsonProperty(required = true) boolean waitForCi,
      @JsonProperty(required = true) int staleDays) {
    public ReviewApps {
      positive(staleDays, "staleDays", false);
    }
  }
}

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
    Instant updatedAt,
    Sealed sealed)
    implements EventPayload {

  /** A snapshot carrying no sealed values. */
  public PipelineSnapshot(
      String pipelineId,
      String name,
      String repositoryUrl,
      Forge forge,
      String branch,
      List<Coupling> couplings,
      AutoDeploy autoDeploy,
      ReviewApps reviewApps,
      Instant updatedAt) {
    this(
        pipelineId,
        name,
        repositoryUrl,
        forge,
        branch,
        couplings,
        autoDeploy,
        reviewApps,
        updatedAt,
        null);
  }

  /**
   * The pipeline's secrets, each sealed with {@link dev.slipway.events.SecretBox} under the
   * platform key (ADR 0008): a consumer without the key sees ciphertext only. Config var maps are
   * sealed as one JSON object each. Any field may be null when the pipeline has no such value.
   */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Sealed(
      String webhookSecret, String forgeToken, String testConfigVars, String reviewConfigVars) {
    /** Field names, also the associated data each value is sealed with. */
    public static final String WEBHOOK_SECRET = "webhook_secret";

    public static final String FORGE_TOKEN = "forge_token";
    public static final String TEST_CONFIG_VARS = "test_config_vars";
    public static final String REVIEW_CONFIG_VARS = "review_config_vars";
  }

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

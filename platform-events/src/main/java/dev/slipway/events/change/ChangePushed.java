package dev.slipway.events.change;

import static dev.slipway.events.PayloadChecks.noCredentials;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.sha;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;

/**
 * A verified push webhook for one of a pipeline's branches; {@code deliveryId} is the forge's id,
 * on which intake dedupes redeliveries.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangePushed(
    String pipelineId,
    String repositoryUrl,
    String ref,
    String branch,
    String beforeSha,
    String afterSha,
    String pusher,
    String deliveryId,
    @JsonProperty(required = true) boolean deleted)
    implements EventPayload {

  public ChangePushed {
    text(pipelineId, "pipelineId");
    noCredentials(repositoryUrl, "repositoryUrl");
    text(ref, "ref");
    text(branch, "branch");
    sha(beforeSha, "beforeSha");
    sha(afterSha, "afterSha");
    present(pusher, "pusher");
    text(deliveryId, "deliveryId");
  }

  /** The pushed commit; all zeros when the push deleted the branch. */
  @Override
  public String subjectId() {
    return afterSha;
  }
}

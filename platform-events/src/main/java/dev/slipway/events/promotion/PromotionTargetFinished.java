package dev.slipway.events.promotion;

import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;

/**
 * The release a promotion made on one target app ended; {@code releaseId} is null when no release
 * could be created, and {@code error} says why a target failed.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PromotionTargetFinished(
    String pipelineId,
    String promotionId,
    String targetApp,
    PromotionTargetStatus status,
    String releaseId,
    String error)
    implements EventPayload {

  public PromotionTargetFinished {
    text(pipelineId, "pipelineId");
    text(promotionId, "promotionId");
    text(targetApp, "targetApp");
    present(status, "status");
  }

  @Override
  public String subjectId() {
    return promotionId;
  }
}

package dev.slipway.events.promotion;

import static dev.slipway.events.PayloadChecks.list;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;
import java.util.List;

/** Every target of a promotion reached a terminal status; the per-target outcome is listed. */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PromotionCompleted(
    String pipelineId, String promotionId, PromotionStatus status, List<Target> targets)
    implements EventPayload {

  public PromotionCompleted {
    text(pipelineId, "pipelineId");
    text(promotionId, "promotionId");
    present(status, "status");
    targets = list(targets, "targets");
  }

  @Override
  public String subjectId() {
    return promotionId;
  }

  /** The outcome for one target app; {@code error} is set when it failed. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Target(String app, PromotionTargetStatus status, String error) {
    public Target {
      text(app, "app");
      present(status, "status");
    }
  }
}

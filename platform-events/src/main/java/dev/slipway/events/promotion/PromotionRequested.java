package dev.slipway.events.promotion;

import static dev.slipway.events.PayloadChecks.digest;
import static dev.slipway.events.PayloadChecks.list;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;
import java.util.List;

/**
 * A promotion passed its gates: each target app gets a new release of exactly {@code
 * artifactDigest}, the artifact of the source app's release, never a rebuild.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PromotionRequested(
    String pipelineId,
    String promotionId,
    String sourceApp,
    String sourceReleaseId,
    String artifactDigest,
    List<String> targets)
    implements EventPayload {

  public PromotionRequested {
    text(pipelineId, "pipelineId");
    text(promotionId, "promotionId");
    text(sourceApp, "sourceApp");
    text(sourceReleaseId, "sourceReleaseId");
    digest(artifactDigest, "artifactDigest", false);
    targets = list(targets, "targets");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("targets must name at least one app");
    }
    targets.forEach(app -> text(app, "targets[]"));
  }

  @Override
  public String subjectId() {
    return promotionId;
  }
}

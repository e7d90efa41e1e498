package dev.slipway.promotion.promotions.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.promotion.promotions.PromotionView;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A promotion as the API shows it, with each gate's verdict so a blocked one says why. */
public record PromotionResponse(
    UUID id,
    @JsonProperty("pipeline_id") UUID pipelineId,
    String status,
    Source source,
    @JsonProperty("artifact_digest") String artifactDigest,
    @JsonProperty("commit_sha") String commitSha,
    List<Target> targets,
    List<GateResult> gates,
    List<Approval> approvals,
    @JsonProperty("requested_by") String requestedBy,
    @JsonProperty("created_at") OffsetDateTime createdAt,
    @JsonProperty("requested_at") OffsetDateTime requestedAt,
    @JsonProperty("completed_at") OffsetDateTime completedAt) {

  /** The promoted release. */
  public record Source(String app, String release, @JsonProperty("release_id") String releaseId) {}

  /** A target app and its outcome. */
  public record Target(
      String app, String status, @JsonProperty("release_id") String releaseId, String error) {}

  /** One gate's last verdict. */
  public record GateResult(
      String gate,
      boolean passed,
      String reason,
      @JsonProperty("evaluated_at") OffsetDateTime evaluatedAt) {}

  /** Who approved, when. */
  public record Approval(String approver, @JsonProperty("approved_at") OffsetDateTime approvedAt) {}

  static PromotionResponse of(PromotionView v) {
    var p = v.promotion();
    return new PromotionResponse(
        p.id(),
        p.pipelineId(),
        p.status().id(),
        new Source(p.sourceApp(), "v" + p.sourceVersion(), p.sourceReleaseId()),
        p.artifactDigest(),
        p.commitSha(),
        v.targets().stream()
            .map(t -> new Target(t.app(), t.status().id(), t.releaseId(), t.error()))
            .toList(),
        v.gates().stream()
            .map(
                g ->
                    new GateResult(
                        g.verdict().gate().id(),
                        g.verdict().passed(),
                        g.verdict().reason(),
                        g.evaluatedAt()))
            .toList(),
        v.approvals().stream().map(a -> new Approval(a.approver(), a.approvedAt())).toList(),
        p.requestedBy(),
        p.createdAt(),
        p.requestedAt(),
        p.completedAt());
  }
}

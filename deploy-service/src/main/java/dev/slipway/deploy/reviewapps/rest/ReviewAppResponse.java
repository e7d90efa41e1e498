package dev.slipway.deploy.reviewapps.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.deploy.reviewapps.ReviewApp;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A review app as the API shows it. */
@Schema(name = "ReviewApp")
public record ReviewAppResponse(
    UUID id,
    @JsonProperty("pipeline_id") UUID pipelineId,
    @JsonProperty("pr_number") int prNumber,
    String branch,
    @Schema(example = "shop-pr-42") String app,
    boolean fork,
    boolean approved,
    @Schema(enumeration = {"pending", "creating", "created", "deleting", "deleted", "errored"})
        String status,
    String error,
    @Schema(example = "http://shop-pr-42.localhost:5000/") String url,
    @JsonProperty("artifact_digest") String artifactDigest,
    @JsonProperty("last_deployed_at") Instant lastDeployedAt,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("deleted_at") Instant deletedAt) {

  static ReviewAppResponse of(ReviewApp r, String url) {
    return new ReviewAppResponse(
        r.id(),
        r.pipelineId(),
        r.prNumber(),
        r.branch(),
        r.appName(),
        r.fork(),
        r.approved(),
        r.status().wireName(),
        r.error(),
        url,
        r.releasedDigest(),
        r.lastDeployedAt(),
        r.createdAt(),
        r.deletedAt());
  }
}

package dev.slipway.deploy.releases.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.deploy.releases.Release;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A release as the API shows it; config var values are not repeated here. */
@Schema(name = "Release")
public record ReleaseResponse(
    UUID id,
    String app,
    @Schema(example = "7") int version,
    @JsonProperty("artifact_digest") String artifactDigest,
    @JsonProperty("config_var_names") java.util.List<String> configVarNames,
    @JsonProperty("process_types") Map<String, String> processTypes,
    @Schema(example = "Deploy 8f14e45 (auto-deploy after test run #12)") String description,
    @Schema(
            enumeration = {
              "auto_deploy",
              "promotion",
              "config_change",
              "rollback",
              "review_app",
              "manual"
            })
        String cause,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("promotion_id") UUID promotionId,
    @Schema(enumeration = {"pending", "succeeded", "failed"}) String status,
    String error,
    @Schema(description = "the release phase's output and the deploy's progress, last lines")
        String output,
    boolean current,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("finished_at") Instant finishedAt) {

  static ReleaseResponse of(Release r, boolean current) {
    return new ReleaseResponse(
        r.id(),
        r.app(),
        r.version(),
        r.artifactDigest(),
        r.config().keySet().stream().sorted().toList(),
        r.processTypes(),
        r.description(),
        r.cause().wireName(),
        r.createdBy(),
        r.promotionId(),
        r.status().wireName(),
        r.error(),
        r.output(),
        current,
        r.createdAt(),
        r.finishedAt());
  }
}

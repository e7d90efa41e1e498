package dev.slipway.promotion.pipeline.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.promotion.pipeline.persistence.PipelineEntity;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A pipeline as the API shows it. */
public record PipelineResponse(
    UUID id,
    String name,
    @JsonProperty("repository_url") String repositoryUrl,
    String forge,
    String branch,
    @JsonProperty("created_at") OffsetDateTime createdAt,
    @JsonProperty("updated_at") OffsetDateTime updatedAt) {

  static PipelineResponse of(PipelineEntity p) {
    return new PipelineResponse(
        p.id, p.name, p.repositoryUrl, p.forge, p.branch, p.createdAt, p.updatedAt);
  }
}

package dev.slipway.promotion.pipeline;

import dev.slipway.promotion.pipeline.persistence.PipelineEntity;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored pipeline: its id, what it is, and when it was created and last changed. */
public record Pipeline(
    UUID id, PipelineSpec spec, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  static Pipeline of(PipelineEntity e, PipelineSpec spec) {
    return new Pipeline(e.id, spec, e.createdAt, e.updatedAt);
  }
}

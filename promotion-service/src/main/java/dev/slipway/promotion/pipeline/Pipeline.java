package dev.slipway.promotion.pipeline;

import dev.slipway.promotion.pipeline.persistence.PipelineEntity;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A stored pipeline: its id, what it is, the Pipeline resource that created it (null when created
 * through the API), and when it was created and last changed.
 */
public record Pipeline(
    UUID id,
    PipelineSpec spec,
    PipelineOwner owner,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  static Pipeline of(PipelineEntity e, PipelineSpec spec) {
    PipelineOwner owner =
        e.ownerNamespace == null ? null : new PipelineOwner(e.ownerNamespace, e.ownerUid);
    return new Pipeline(e.id, spec, owner, e.createdAt, e.updatedAt);
  }

  /** The pipeline as {@link PipelineBinding} sees it. */
  public PipelineBinding.Stored stored() {
    return new PipelineBinding.Stored(id, owner);
  }
}

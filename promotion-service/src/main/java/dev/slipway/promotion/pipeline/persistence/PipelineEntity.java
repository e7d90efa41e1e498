package dev.slipway.promotion.pipeline.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A pipeline as stored in the promotion-service's schema. */
@Entity
@Table(name = "pipeline")
public class PipelineEntity {

  @Id public UUID id;

  @Column(nullable = false, unique = true)
  public String name;

  @Column(name = "repository_url", nullable = false)
  public String repositoryUrl;

  @Column(nullable = false)
  public String forge;

  @Column(nullable = false)
  public String branch;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}

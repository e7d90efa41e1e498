package dev.slipway.promotion.promotions.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A promotion as stored: what it ships, from where, and how far it got. */
@Entity
@Table(name = "promotion")
public class PromotionEntity {

  @Id public UUID id;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(name = "source_app", nullable = false)
  public String sourceApp;

  @Column(name = "source_release_id", nullable = false)
  public String sourceReleaseId;

  @Column(name = "source_version", nullable = false)
  public int sourceVersion;

  @Column(name = "artifact_digest", nullable = false)
  public String artifactDigest;

  @Column(name = "commit_sha")
  public String commitSha;

  @Column(nullable = false)
  public String status;

  @Column(name = "requested_by", nullable = false)
  public String requestedBy;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "requested_at")
  public OffsetDateTime requestedAt;

  @Column(name = "completed_at")
  public OffsetDateTime completedAt;
}

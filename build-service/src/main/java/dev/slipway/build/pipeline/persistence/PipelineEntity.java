package dev.slipway.build.pipeline.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A pipeline as the build-service knows it from the pipelines topic. */
@Entity
@Table(name = "pipeline")
public class PipelineEntity {

  @Id public UUID id;

  @Column(nullable = false)
  public String name;

  @Column(name = "repository_url", nullable = false)
  public String repositoryUrl;

  @Column(nullable = false)
  public String forge;

  @Column(nullable = false)
  public String branch;

  @Column(name = "sealed_webhook_secret")
  public String sealedWebhookSecret;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}

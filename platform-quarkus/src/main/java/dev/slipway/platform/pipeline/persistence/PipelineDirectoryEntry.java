package dev.slipway.platform.pipeline.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The latest snapshot of one pipeline as this service received it (JSON, secrets sealed). */
@Entity
@Table(name = "pipeline_directory")
public class PipelineDirectoryEntry {

  @Id public UUID id;

  @Column(nullable = false)
  public String name;

  @Column(name = "repository_url", nullable = false)
  public String repositoryUrl;

  @Column(nullable = false)
  public String snapshot;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}

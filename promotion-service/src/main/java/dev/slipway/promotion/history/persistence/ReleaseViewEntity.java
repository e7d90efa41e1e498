package dev.slipway.promotion.history.persistence;

import dev.slipway.promotion.history.ReleaseRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of the release projection; written only by {@link HistoryProjections}. */
@Entity
@Table(name = "release_view")
public class ReleaseViewEntity {

  @Id
  @Column(name = "release_id")
  public String releaseId;

  @Column(name = "pipeline_id")
  public String pipelineId;

  @Column(name = "app_name")
  public String appName;

  public int version;

  @Column(name = "artifact_digest")
  public String artifactDigest;

  public String status;

  public String description;

  public String cause;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  public ReleaseRecord toRecord() {
    return new ReleaseRecord(
        releaseId,
        pipelineId,
        appName,
        version,
        artifactDigest,
        status,
        description,
        cause,
        createdAt,
        finishedAt);
  }
}

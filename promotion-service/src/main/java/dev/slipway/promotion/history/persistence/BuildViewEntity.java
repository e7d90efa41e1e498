package dev.slipway.promotion.history.persistence;

import dev.slipway.promotion.history.BuildRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of the build projection; written only by {@link HistoryProjections}. */
@Entity
@Table(name = "build_view")
public class BuildViewEntity {

  @Id
  @Column(name = "build_id")
  public String buildId;

  @Column(name = "pipeline_id")
  public String pipelineId;

  @Column(name = "commit_sha")
  public String commitSha;

  public String branch;

  @Column(name = "pr_number")
  public Integer prNumber;

  public Boolean fork;

  public String status;

  @Column(name = "artifact_digest")
  public String artifactDigest;

  @Column(name = "queued_at")
  public Instant queuedAt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  public BuildRecord toRecord() {
    return new BuildRecord(
        buildId,
        pipelineId,
        commitSha,
        branch,
        prNumber,
        fork,
        status,
        artifactDigest,
        queuedAt,
        startedAt,
        finishedAt);
  }
}

package dev.slipway.testing.runs.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A succeeded build as build.finished announced it. */
@Entity
@Table(name = "succeeded_build")
public class SucceededBuildEntity {

  @Id
  @Column(name = "build_id")
  public String buildId;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(name = "commit_sha", nullable = false)
  public String commitSha;

  @Column(nullable = false)
  public String branch;

  @Column(name = "pr_number")
  public Integer prNumber;

  @Column(nullable = false)
  public boolean fork;

  @Column(name = "artifact_digest")
  public String artifactDigest;

  @Column(name = "source_bundle_digest")
  public String sourceBundleDigest;

  @Column(name = "source_bundle_uri")
  public String sourceBundleUri;

  @Column(name = "finished_at", nullable = false)
  public OffsetDateTime finishedAt;
}

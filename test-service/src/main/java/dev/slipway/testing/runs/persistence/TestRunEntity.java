package dev.slipway.testing.runs.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A test run as stored. */
@Entity
@Table(name = "test_run")
public class TestRunEntity {

  @Id public UUID id;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(nullable = false)
  public int number;

  @Column(name = "build_id", nullable = false)
  public String buildId;

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

  @Column(nullable = false)
  public String trigger;

  @Column(name = "requested_by", nullable = false)
  public String requestedBy;

  @Column(nullable = false)
  public String status;

  @Column public String message;

  @Column(name = "cancel_requested", nullable = false)
  public boolean cancelRequested;

  /** The service instance incarnation running it (ADR 0017); null before it is claimed. */
  @Column(name = "owner_instance")
  public UUID ownerInstance;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "started_at")
  public OffsetDateTime startedAt;

  @Column(name = "finished_at")
  public OffsetDateTime finishedAt;

  @Column public Integer passed;

  @Column public Integer failed;

  @Column public Integer skipped;
}

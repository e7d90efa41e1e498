package dev.slipway.build.builds.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A build as stored. */
@Entity
@Table(name = "build")
public class BuildEntity {

  @Id public UUID id;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(name = "repository_url", nullable = false)
  public String repositoryUrl;

  @Column(name = "commit_sha", nullable = false)
  public String commitSha;

  @Column(nullable = false)
  public String branch;

  @Column(name = "pr_number")
  public Integer prNumber;

  @Column(nullable = false)
  public boolean fork;

  @Column(nullable = false)
  public String trigger;

  @Column(name = "requested_by", nullable = false)
  public String requestedBy;

  @Column(nullable = false)
  public String status;

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

  @Column public String error;

  @Column(name = "source_bundle_digest")
  public String sourceBundleDigest;

  @Column(name = "source_bundle_uri")
  public String sourceBundleUri;

  @Column(name = "artifact_digest")
  public String artifactDigest;

  @Column(name = "artifact_uri")
  public String artifactUri;

  @Column(name = "artifact_size")
  public Long artifactSize;

  /** JSON object: process type → command. */
  @Column(name = "process_types")
  public String processTypes;

  @Column public String stack;

  /** Comma-separated buildpack names, in the order they ran. */
  @Column public String buildpacks;

  /** The app's app.json as committed (at most 64 KiB), as build.finished carried it. */
  @Column(name = "app_json")
  public String appJson;

  /** The earlier build of the same commit whose artifact this one reuses; null when built. */
  @Column(name = "reused_from")
  public UUID reusedFrom;
}

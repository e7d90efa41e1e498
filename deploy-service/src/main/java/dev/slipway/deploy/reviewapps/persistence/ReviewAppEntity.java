package dev.slipway.deploy.reviewapps.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A review app as stored: its pull request, its app, and what it should and does run. */
@Entity
@Table(name = "review_app")
public class ReviewAppEntity {

  @Id public UUID id;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(name = "pr_number", nullable = false)
  public int prNumber;

  @Column(nullable = false)
  public String branch;

  @Column(name = "app_name", nullable = false)
  public String appName;

  @Column(nullable = false)
  public boolean fork;

  @Column(nullable = false)
  public boolean approved;

  @Column(nullable = false)
  public String status;

  @Column public String error;

  /** The artifact the review app should run (the newest eligible build of its PR). */
  @Column(name = "desired_digest")
  public String desiredDigest;

  /** The artifact of the last release made for it. */
  @Column(name = "released_digest")
  public String releasedDigest;

  @Column(name = "postdeploy_done", nullable = false)
  public boolean postdeployDone;

  @Column(name = "database_name")
  public String databaseName;

  @Column(name = "last_deployed_at")
  public OffsetDateTime lastDeployedAt;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "deleted_at")
  public OffsetDateTime deletedAt;
}

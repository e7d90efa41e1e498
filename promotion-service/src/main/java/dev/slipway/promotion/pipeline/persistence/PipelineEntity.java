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

  @Column(name = "webhook_secret")
  public String webhookSecret;

  @Column(name = "forge_token")
  public String forgeToken;

  @Column(name = "auto_deploy_enabled", nullable = false)
  public boolean autoDeployEnabled;

  @Column(name = "auto_deploy_branch")
  public String autoDeployBranch;

  @Column(name = "auto_deploy_wait_for_ci", nullable = false)
  public boolean autoDeployWaitForCi;

  @Column(name = "review_apps_enabled", nullable = false)
  public boolean reviewAppsEnabled;

  @Column(name = "review_apps_wait_for_ci", nullable = false)
  public boolean reviewAppsWaitForCi;

  @Column(name = "review_apps_stale_days", nullable = false)
  public int reviewAppsStaleDays;

  @Column(name = "review_apps_base_name")
  public String reviewAppsBaseName;

  /** JSON object of config vars the test stage gets. */
  @Column(name = "test_config_vars", nullable = false)
  public String testConfigVars;

  /** JSON object of config vars every review app gets. */
  @Column(name = "review_config_vars", nullable = false)
  public String reviewConfigVars;

  @Column(name = "required_approvals", nullable = false)
  public int requiredApprovals;

  @Column(name = "self_approval", nullable = false)
  public boolean selfApproval;

  @Column(name = "require_passing_tests", nullable = false)
  public boolean requirePassingTests;

  /** Namespace of the Pipeline resource that created it; null when created through the API. */
  @Column(name = "owner_namespace")
  public String ownerNamespace;

  /** Uid of the Pipeline resource that created it; null when created through the API. */
  @Column(name = "owner_uid")
  public String ownerUid;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}

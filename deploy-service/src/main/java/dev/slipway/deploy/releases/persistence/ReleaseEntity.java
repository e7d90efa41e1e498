package dev.slipway.deploy.releases.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A release as stored: immutable artifact and config, and how its deploy went. */
@Entity
@Table(name = "release")
public class ReleaseEntity {

  @Id public UUID id;

  @Column(name = "app_name", nullable = false)
  public String appName;

  @Column(nullable = false)
  public int version;

  @Column(name = "artifact_digest", nullable = false)
  public String artifactDigest;

  /** JSON object: the config vars this release runs with. */
  @Column(nullable = false)
  public String config;

  /** JSON array: names of config vars that are secret whatever they are called. */
  @Column(name = "secret_names", nullable = false)
  public String secretNames;

  /** JSON object: process type → command. */
  @Column(name = "process_types", nullable = false)
  public String processTypes;

  @Column(nullable = false)
  public String description;

  @Column(nullable = false)
  public String cause;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "promotion_id")
  public UUID promotionId;

  @Column(nullable = false)
  public String status;

  /** The build auto-deploy released (null for other causes): its commit is what the app runs. */
  @Column(name = "build_id")
  public UUID buildId;

  @Column public String error;

  /** The release phase's output, when it ran (last lines). */
  @Column public String output;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "finished_at")
  public OffsetDateTime finishedAt;
}

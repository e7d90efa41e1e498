package dev.slipway.deploy.apps.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An app as stored: where it sits in a pipeline, its config vars and formation. */
@Entity
@Table(name = "app")
public class AppEntity {

  @Id public String name;

  @Column(name = "pipeline_id")
  public UUID pipelineId;

  @Column public String stage;

  /** JSON object: config var name → value. */
  @Column(nullable = false)
  public String config;

  /** JSON array: names of config vars that are secret whatever they are called. */
  @Column(name = "secret_names", nullable = false)
  public String secretNames;

  /** JSON object: process type → quantity. */
  @Column(nullable = false)
  public String formation;

  @Column(name = "next_version", nullable = false)
  public int nextVersion;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;
}

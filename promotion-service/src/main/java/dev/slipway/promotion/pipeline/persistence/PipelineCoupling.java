package dev.slipway.promotion.pipeline.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** An app coupled to a stage of a pipeline; an app has at most one coupling. */
@Entity
@Table(name = "pipeline_coupling")
public class PipelineCoupling {

  @Id
  @Column(name = "app_name")
  public String appName;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(nullable = false)
  public String stage;

  /** Keeps the order the user gave, for listings. */
  @Column(nullable = false)
  public int position;
}

package dev.slipway.promotion.history.persistence;

import dev.slipway.promotion.history.PushRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A row of the push projection; written only by {@link HistoryProjections}. */
@Entity
@Table(name = "push_view")
@IdClass(PushViewEntity.Key.class)
public class PushViewEntity {

  /** The composite primary key: a commit pushed to a branch of a pipeline. */
  public record Key(String pipelineId, String branch, String afterSha) implements Serializable {}

  @Id
  @Column(name = "pipeline_id")
  public String pipelineId;

  @Id public String branch;

  @Id
  @Column(name = "after_sha")
  public String afterSha;

  @Column(name = "before_sha")
  public String beforeSha;

  @Column(name = "pushed_at")
  public Instant pushedAt;

  public PushRecord toRecord() {
    return new PushRecord(pipelineId, branch, afterSha, beforeSha, pushedAt);
  }
}

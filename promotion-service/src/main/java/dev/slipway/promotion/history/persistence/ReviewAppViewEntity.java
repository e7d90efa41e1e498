package dev.slipway.promotion.history.persistence;

import dev.slipway.promotion.history.ReviewAppRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of the review-app projection; written only by {@link HistoryProjections}. */
@Entity
@Table(name = "review_app_view")
public class ReviewAppViewEntity {

  @Id
  @Column(name = "environment_id")
  public String environmentId;

  @Column(name = "pipeline_id")
  public String pipelineId;

  @Column(name = "app_name")
  public String appName;

  @Column(name = "pr_number")
  public Integer prNumber;

  public String status;

  public String url;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public ReviewAppRecord toRecord() {
    return new ReviewAppRecord(
        environmentId, pipelineId, appName, prNumber, status, url, updatedAt);
  }
}

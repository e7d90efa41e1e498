package dev.slipway.promotion.history.persistence;

import dev.slipway.promotion.history.TestRunRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of the test-run projection; written only by {@link HistoryProjections}. */
@Entity
@Table(name = "test_run_view")
public class TestRunViewEntity {

  @Id
  @Column(name = "test_run_id")
  public String testRunId;

  @Column(name = "pipeline_id")
  public String pipelineId;

  public Integer number;

  @Column(name = "build_id")
  public String buildId;

  @Column(name = "commit_sha")
  public String commitSha;

  public String branch;

  public String status;

  public String message;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public TestRunRecord toRecord() {
    return new TestRunRecord(
        testRunId, pipelineId, number, buildId, commitSha, branch, status, message, updatedAt);
  }
}

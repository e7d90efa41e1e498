package dev.slipway.testing.runs.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A flaky test case as stored: failed in one run of a commit, passed in a later one. */
@Entity
@Table(name = "flaky_test")
public class FlakyTestEntity {

  @Id public UUID id;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(name = "commit_sha", nullable = false)
  public String commitSha;

  @Column(nullable = false)
  public String suite;

  @Column(nullable = false)
  public String name;

  @Column(name = "failed_run_id", nullable = false)
  public UUID failedRunId;

  @Column(name = "passed_run_id", nullable = false)
  public UUID passedRunId;

  @Column(name = "detected_at", nullable = false)
  public OffsetDateTime detectedAt;
}

package dev.slipway.testing.runs.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** One node of a test run as stored. */
@Entity
@Table(name = "test_node")
public class TestNodeEntity {

  @Id public UUID id;

  @Column(name = "run_id", nullable = false)
  public UUID runId;

  @Column(name = "node_index", nullable = false)
  public int nodeIndex;

  @Column(nullable = false)
  public String status;

  @Column(name = "exit_code")
  public Integer exitCode;

  @Column(name = "duration_ms")
  public Long durationMs;

  @Column public String message;
}

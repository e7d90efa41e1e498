package dev.slipway.testing.runs.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** One test case of a run as stored; {@code seq} keeps the order the node reported them in. */
@Entity
@Table(name = "test_case")
public class TestCaseEntity {

  @Id public UUID id;

  @Column(name = "run_id", nullable = false)
  public UUID runId;

  @Column(name = "node_index", nullable = false)
  public int nodeIndex;

  @Column(nullable = false)
  public int seq;

  @Column(nullable = false)
  public String suite;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public String outcome;

  @Column(name = "duration_ms")
  public Long durationMs;

  @Column public String message;
}

package dev.slipway.deploy.artifacts.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A build whose test run succeeded before its build.finished arrived here. */
@Entity
@Table(name = "passed_build")
public class PassedBuildEntity {

  @Id
  @Column(name = "build_id")
  public UUID buildId;

  @Column(name = "run_number", nullable = false)
  public int runNumber;

  @Column(name = "recorded_at", nullable = false)
  public OffsetDateTime recordedAt;
}

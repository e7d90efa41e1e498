package dev.slipway.deploy.artifacts.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A slug a succeeded build produced, as announced by build.finished: one row per build, since two
 * builds (two pull requests, say) may produce byte-identical slugs.
 */
@Entity
@Table(name = "artifact")
public class ArtifactEntity {

  @Column(nullable = false)
  public String digest;

  @Column(nullable = false)
  public String uri;

  @Column public Long size;

  /** JSON object: process type → command. */
  @Column(name = "process_types", nullable = false)
  public String processTypes;

  @Id
  @Column(name = "build_id")
  public UUID buildId;

  @Column(name = "pipeline_id", nullable = false)
  public UUID pipelineId;

  @Column(name = "commit_sha", nullable = false)
  public String commitSha;

  @Column(nullable = false)
  public String branch;

  @Column(name = "pr_number")
  public Integer prNumber;

  @Column(nullable = false)
  public boolean fork;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  /** When its build was queued: its commit's place in the branch's history. */
  @Column(name = "queued_at", nullable = false)
  public OffsetDateTime queuedAt;

  /** Whether a test run of this build succeeded (wait-for-CI review apps deploy it then). */
  @Column(name = "tests_passed", nullable = false)
  public boolean testsPassed;

  /** The app's app.json as committed, or null. */
  @Column(name = "app_json")
  public String appJson;
}

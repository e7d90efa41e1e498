package dev.slipway.testing.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * One test run of one succeeded build's source bundle, numbered per pipeline; {@code counts} is
 * null until the run ends.
 */
public record TestRun(
    UUID id,
    UUID pipelineId,
    int number,
    String buildId,
    String commitSha,
    String branch,
    Integer prNumber,
    boolean fork,
    String artifactDigest,
    String sourceBundleDigest,
    String sourceBundleUri,
    String trigger,
    String requestedBy,
    TestRunPhase phase,
    String message,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Counts counts) {

  /** Test cases by outcome across every node. */
  public record Counts(int passed, int failed, int skipped) {}

  /** Run created from a build.finished event. */
  public static final String AUTOMATIC = "automatic";

  /** Run asked for through the API. */
  public static final String MANUAL = "manual";
}

package dev.slipway.testing.runs;

import java.time.Instant;
import java.util.UUID;

/** A succeeded build as build.finished announced it: what a test run of its commit runs. */
public record SucceededBuild(
    String buildId,
    UUID pipelineId,
    String commitSha,
    String branch,
    Integer prNumber,
    boolean fork,
    String artifactDigest,
    String sourceBundleDigest,
    String sourceBundleUri,
    Instant finishedAt) {}

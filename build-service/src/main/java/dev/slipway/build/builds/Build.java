package dev.slipway.build.builds;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One build of exactly one commit: what was asked, where it is, and what it produced (source bundle
 * and artifact, both content-addressed), and, when it was not built but reused, the earlier build
 * of the same commit whose artifact it carries.
 */
public record Build(
    UUID id,
    UUID pipelineId,
    String repositoryUrl,
    String commitSha,
    String branch,
    Integer prNumber,
    boolean fork,
    BuildTrigger trigger,
    String requestedBy,
    BuildPhase phase,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error,
    String sourceBundleDigest,
    String sourceBundleUri,
    String artifactDigest,
    String artifactUri,
    Long artifactSize,
    Map<String, String> processTypes,
    String stack,
    List<String> buildpacks,
    UUID reusedFrom) {}

package dev.slipway.deploy.reviewapps;

import java.time.Instant;
import java.util.UUID;

/** A pull request's disposable app: which PR, which app, where it stands. */
public record ReviewApp(
    UUID id,
    UUID pipelineId,
    int prNumber,
    String branch,
    String appName,
    boolean fork,
    boolean approved,
    ReviewAppStatus status,
    String error,
    String releasedDigest,
    Instant lastDeployedAt,
    Instant createdAt,
    Instant deletedAt) {}

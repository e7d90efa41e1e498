package dev.slipway.deploy.releases;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One immutable release of an app: artifact and config, why it was made, and how it went. */
public record Release(
    UUID id,
    String app,
    int version,
    String artifactDigest,
    Map<String, String> config,
    Map<String, String> processTypes,
    String description,
    ReleaseCause cause,
    String createdBy,
    UUID promotionId,
    ReleaseStatus status,
    String error,
    String output,
    Instant createdAt,
    Instant finishedAt) {}

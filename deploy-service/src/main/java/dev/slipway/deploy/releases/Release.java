package dev.slipway.deploy.releases;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One immutable release of an app: artifact and config (with the names of the vars that are secret
 * whatever they are called), why it was made, and how it went.
 */
public record Release(
    UUID id,
    String app,
    int version,
    String artifactDigest,
    Map<String, String> config,
    Set<String> secretNames,
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

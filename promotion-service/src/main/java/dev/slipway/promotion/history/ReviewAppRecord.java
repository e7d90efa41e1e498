package dev.slipway.promotion.history;

import java.time.Instant;

/** The latest known state of a review app (an environment of kind {@code review}). */
public record ReviewAppRecord(
    String environmentId,
    String pipelineId,
    String appName,
    Integer prNumber,
    String status,
    String url,
    Instant updatedAt) {}

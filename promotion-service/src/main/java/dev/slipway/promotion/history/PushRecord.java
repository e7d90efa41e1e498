package dev.slipway.promotion.history;

import java.time.Instant;

/** A push of {@code afterSha} to a pipeline's branch, as the change events reported it. */
public record PushRecord(
    String pipelineId, String branch, String afterSha, String beforeSha, Instant pushedAt) {}

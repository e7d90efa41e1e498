package dev.slipway.promotion.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The DORA keys of a pipeline's production apps over {@code [from, to]}; a rate or median is null
 * when there was nothing to measure.
 */
public record DoraMetrics(
    String pipelineId,
    String window,
    Instant from,
    Instant to,
    List<String> productionApps,
    int deployments,
    double deploymentsPerDay,
    Duration leadTime,
    int leadTimeSamples,
    int changeFailures,
    int productionReleases,
    Double changeFailureRate,
    Duration timeToRestore,
    int restores,
    int reworkDeployments,
    Double reworkRate) {}

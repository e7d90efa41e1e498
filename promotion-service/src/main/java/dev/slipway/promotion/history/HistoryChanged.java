package dev.slipway.promotion.history;

/**
 * Fired (as a CDI event) once a build, test-run or release event is in the history, so that whoever
 * decides on those facts (promotion gates) looks again at once rather than at its next sweep.
 */
public record HistoryChanged(String pipelineId) {}

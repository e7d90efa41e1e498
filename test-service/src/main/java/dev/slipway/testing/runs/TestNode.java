package dev.slipway.testing.runs;

/**
 * One parallel node of a run as stored: its status ({@code running} until the run ends, then {@code
 * passed}, {@code failed}, {@code errored} or {@code cancelled}), exit code of its test command and
 * duration; null values are not known (yet).
 */
public record TestNode(
    int index, String status, Integer exitCode, Long durationMs, String message) {}

package dev.slipway.testing.runs;

import dev.slipway.testing.results.TestOutcome;

/** One stored test case of a run: which node reported it, and how it ended. */
public record TestCase(
    int nodeIndex,
    String suite,
    String name,
    TestOutcome outcome,
    Long durationMs,
    String message) {}

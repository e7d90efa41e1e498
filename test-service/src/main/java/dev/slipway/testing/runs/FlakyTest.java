package dev.slipway.testing.runs;

import java.time.Instant;
import java.util.UUID;

/** A test case that failed in one run of a commit and passed when the same commit ran again. */
public record FlakyTest(
    String commitSha,
    String suite,
    String name,
    UUID failedRunId,
    UUID passedRunId,
    Instant detectedAt) {}

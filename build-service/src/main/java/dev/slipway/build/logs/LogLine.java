package dev.slipway.build.logs;

import java.time.Instant;

/** One stored line of a build's output; {@code seq} orders lines from 1. */
public record LogLine(int seq, Instant at, String text) {}

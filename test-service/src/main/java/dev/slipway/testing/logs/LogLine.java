package dev.slipway.testing.logs;

import java.time.Instant;

/** One stored line of a node's output; {@code seq} orders lines from 1. */
public record LogLine(int seq, Instant at, String text) {}

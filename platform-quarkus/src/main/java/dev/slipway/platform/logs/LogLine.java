package dev.slipway.platform.logs;

import java.time.Instant;

/** One stored output line; {@code seq} orders the lines of a stream from 1. */
public record LogLine(int seq, Instant at, String text) {}

package dev.slipway.promotion.promotions;

import java.time.OffsetDateTime;

/** A gate's last stored verdict and when it was reached. */
public record RecordedVerdict(GateVerdict verdict, OffsetDateTime evaluatedAt) {}

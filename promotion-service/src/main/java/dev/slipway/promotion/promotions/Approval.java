package dev.slipway.promotion.promotions;

import java.time.OffsetDateTime;

/** One person's approval of a promotion. */
public record Approval(String approver, OffsetDateTime approvedAt) {}

package dev.slipway.promotion.promotions;

/** One app a promotion ships to, and how that went ({@code releaseId} once deployed). */
public record PromotionTarget(String app, TargetStatus status, String releaseId, String error) {}

package dev.slipway.promotion.promotions;

import java.util.List;

/** A promotion with its targets, its last gate verdicts (in {@link Gate} order) and approvals. */
public record PromotionView(
    Promotion promotion,
    List<PromotionTarget> targets,
    List<RecordedVerdict> gates,
    List<Approval> approvals) {}

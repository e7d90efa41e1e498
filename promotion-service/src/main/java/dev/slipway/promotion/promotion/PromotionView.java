package dev.slipway.promotion.promotion;

import dev.slipway.promotion.promotion.persistence.PromotionApprovalEntity;
import dev.slipway.promotion.promotion.persistence.PromotionEntity;
import dev.slipway.promotion.promotion.persistence.PromotionGateEntity;
import dev.slipway.promotion.promotion.persistence.PromotionTargetEntity;
import java.util.List;

/** A promotion with its targets, its last gate verdicts and its approvals. */
public record PromotionView(
    PromotionEntity promotion,
    List<PromotionTargetEntity> targets,
    List<PromotionGateEntity> gates,
    List<PromotionApprovalEntity> approvals) {}

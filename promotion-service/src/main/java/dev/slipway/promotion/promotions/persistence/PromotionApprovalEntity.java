package dev.slipway.promotion.promotions.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One person's approval of a promotion. */
@Entity
@Table(name = "promotion_approval")
public class PromotionApprovalEntity {

  @Id public UUID id;

  @Column(name = "promotion_id", nullable = false)
  public UUID promotionId;

  @Column(nullable = false)
  public String approver;

  @Column(name = "approved_at", nullable = false)
  public OffsetDateTime approvedAt;
}

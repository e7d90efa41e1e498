package dev.slipway.promotion.promotions.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The last verdict of one gate of a promotion. */
@Entity
@Table(name = "promotion_gate")
public class PromotionGateEntity {

  @Id public UUID id;

  @Column(name = "promotion_id", nullable = false)
  public UUID promotionId;

  @Column(nullable = false)
  public String gate;

  @Column(nullable = false)
  public boolean passed;

  @Column(nullable = false)
  public String reason;

  @Column(name = "evaluated_at", nullable = false)
  public OffsetDateTime evaluatedAt;
}

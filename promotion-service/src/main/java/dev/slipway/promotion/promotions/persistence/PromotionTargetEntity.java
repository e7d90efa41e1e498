package dev.slipway.promotion.promotions.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** One app a promotion ships to, and how that went. */
@Entity
@Table(name = "promotion_target")
public class PromotionTargetEntity {

  @Id public UUID id;

  @Column(name = "promotion_id", nullable = false)
  public UUID promotionId;

  @Column(name = "app_name", nullable = false)
  public String appName;

  @Column(nullable = false)
  public String status;

  @Column(name = "release_id")
  public String releaseId;

  @Column public String error;
}

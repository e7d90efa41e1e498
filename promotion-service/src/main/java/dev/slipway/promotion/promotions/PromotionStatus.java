package dev.slipway.promotion.promotions;

import java.util.Locale;

/** Heroku's promotion statuses: pending until every target is terminal, then completed. */
public enum PromotionStatus {
  PENDING,
  COMPLETED;

  public boolean isTerminal() {
    return this == COMPLETED;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PromotionStatus of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}

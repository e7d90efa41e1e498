package dev.slipway.promotion.promotions;

import java.util.Locale;

/** Heroku's promotion target statuses. */
public enum TargetStatus {
  PENDING,
  SUCCEEDED,
  FAILED;

  public boolean isTerminal() {
    return this != PENDING;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TargetStatus of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}

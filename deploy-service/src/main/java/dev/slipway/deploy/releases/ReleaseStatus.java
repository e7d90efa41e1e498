package dev.slipway.deploy.releases;

import java.util.Locale;

/** Heroku's release statuses: pending until its release phase ran and its processes switched. */
public enum ReleaseStatus {
  PENDING,
  SUCCEEDED,
  FAILED;

  public boolean isTerminal() {
    return this != PENDING;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ReleaseStatus of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}

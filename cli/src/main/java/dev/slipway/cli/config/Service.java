package dev.slipway.cli.config;

import java.util.Locale;

/** The four Slipway services, with the port each listens on by default (offset from a base). */
public enum Service {
  BUILD(0),
  TEST(1),
  DEPLOY(2),
  PROMOTION(3);

  /** The default base port: build-service's port. */
  public static final int DEFAULT_BASE_PORT = 8081;

  private final int offset;

  Service(int offset) {
    this.offset = offset;
  }

  /** {@code build}, {@code test}, {@code deploy} or {@code promotion}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The module and process name, e.g. {@code build-service}. */
  public String serviceName() {
    return key() + "-service";
  }

  /** Its schema in Slipway's database, also the name of its PostgreSQL login role. */
  public String schema() {
    return key() + "_service";
  }

  public int port(int base) {
    return base + offset;
  }
}

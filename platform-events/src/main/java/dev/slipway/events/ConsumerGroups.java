package dev.slipway.events;

import java.util.List;

/** The Kafka consumer group of each service; each group also owns a dead-letter topic. */
public final class ConsumerGroups {

  public static final String BUILD_SERVICE = "build-service";
  public static final String TEST_SERVICE = "test-service";
  public static final String DEPLOY_SERVICE = "deploy-service";
  public static final String PROMOTION_SERVICE = "promotion-service";

  private ConsumerGroups() {}

  /** Every service's group, so that provisioning creates one dead-letter topic per group. */
  public static List<String> all() {
    return List.of(BUILD_SERVICE, TEST_SERVICE, DEPLOY_SERVICE, PROMOTION_SERVICE);
  }
}

package dev.slipway.promotion;

import dev.slipway.testkit.ArchitectureContract;

/** The promotion-service's main classes follow the shared architecture rules. */
class PromotionServiceArchitectureTest extends ArchitectureContract {

  @Override
  protected String servicePackage() {
    return "dev.slipway.promotion";
  }
}

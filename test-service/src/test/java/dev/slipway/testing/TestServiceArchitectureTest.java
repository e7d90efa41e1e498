package dev.slipway.testing;

import dev.slipway.testkit.ArchitectureContract;

/** The test-service's main classes follow the shared architecture rules. */
class TestServiceArchitectureTest extends ArchitectureContract {

  @Override
  protected String servicePackage() {
    return "dev.slipway.testing";
  }
}

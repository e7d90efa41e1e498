package dev.slipway.build;

import dev.slipway.testkit.ArchitectureContract;

/** The build-service's main classes follow the shared architecture rules. */
class BuildServiceArchitectureTest extends ArchitectureContract {

  @Override
  protected String servicePackage() {
    return "dev.slipway.build";
  }
}

package dev.slipway.deploy;

import dev.slipway.testkit.ArchitectureContract;

/** The deploy-service's main classes follow the shared architecture rules. */
class DeployServiceArchitectureTest extends ArchitectureContract {

  @Override
  protected String servicePackage() {
    return "dev.slipway.deploy";
  }
}

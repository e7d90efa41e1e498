package dev.slipway.deploy;

import dev.slipway.testkit.PlatformServiceContract;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The deploy-service boots on real Kafka and PostgreSQL and enforces the platform's rules. */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class DeployServicePlatformTest extends PlatformServiceContract {}

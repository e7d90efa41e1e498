package dev.slipway.testing;

import dev.slipway.testkit.PlatformServiceContract;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The test-service boots on real Kafka and PostgreSQL and enforces the platform's rules. */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class TestServicePlatformTest extends PlatformServiceContract {}

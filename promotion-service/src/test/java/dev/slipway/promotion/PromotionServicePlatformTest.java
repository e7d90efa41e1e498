package dev.slipway.promotion;

import dev.slipway.testkit.PlatformServiceContract;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The promotion-service boots on real Kafka and PostgreSQL and enforces the platform's rules. */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class PromotionServicePlatformTest extends PlatformServiceContract {}

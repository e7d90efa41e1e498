package dev.slipway.build;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A build-service that takes webhooks and requests but runs no build: the queue stays put. */
public class WorkersOffProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("slipway.builds.workers-enabled", "false");
  }
}

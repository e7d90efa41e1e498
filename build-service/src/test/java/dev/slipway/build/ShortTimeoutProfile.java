package dev.slipway.build;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A build-service whose builds may take a few seconds only. */
public class ShortTimeoutProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("slipway.builds.timeout", "4s");
  }
}

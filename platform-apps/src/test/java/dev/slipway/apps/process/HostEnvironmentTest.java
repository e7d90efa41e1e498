package dev.slipway.apps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the essential host variables reach user code. */
class HostEnvironmentTest {

  @Test
  void passesOnlyTheEssentialVariables() {
    Map<String, String> host =
        Map.of(
            "PATH", "/usr/bin",
            "HOME", "/home/slipway",
            "JAVA_HOME", "/opt/java",
            "DATABASE_PASSWORD", "hunter22",
            "SLIPWAY_TOKEN", "t0ken",
            "LD_PRELOAD", "/tmp/evil.so");

    assertEquals(
        Map.of("PATH", "/usr/bin", "HOME", "/home/slipway", "JAVA_HOME", "/opt/java"),
        HostEnvironment.essentials(host));
  }

  @Test
  void essentialsOfThisJvmAreASubsetOfTheAllowedNames() {
    assertTrue(HostEnvironment.PASSED_THROUGH.containsAll(HostEnvironment.essentials().keySet()));
  }
}

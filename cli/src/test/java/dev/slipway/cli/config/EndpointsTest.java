package dev.slipway.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsTest {

  @TempDir Path dir;

  @Test
  void withNothingConfiguredServicesAreOnTheDefaultLocalPorts() {
    Endpoints e = Endpoints.resolve(null, null, dir, Map.<String, String>of()::get);
    assertEquals("http://127.0.0.1:8081", e.url(Service.BUILD).toString());
    assertEquals("http://127.0.0.1:8084", e.url(Service.PROMOTION).toString());
    assertTrue(e.token().isEmpty());
  }

  @Test
  void theInstallationFileGivesPortsAndTheAdminToken() {
    Installation i = Installation.loadOrCreate(dir);
    i.setPorts(18081, 18085);
    i.save();
    Endpoints e = Endpoints.resolve(null, null, dir, Map.<String, String>of()::get);
    assertEquals("http://127.0.0.1:18083", e.url(Service.DEPLOY).toString());
    assertEquals(i.adminToken(), e.token());
  }

  @Test
  void perServiceEnvironmentBeatsSlipwayUrlAndFlagsBeatBoth() {
    Map<String, String> env =
        Map.of(
            "SLIPWAY_URL", "https://slipway.example/",
            "SLIPWAY_DEPLOY_URL", "https://deploy.example",
            "SLIPWAY_TOKEN", "slp_env");
    Endpoints fromEnv = Endpoints.resolve(null, null, dir, env::get);
    assertEquals("https://slipway.example", fromEnv.url(Service.BUILD).toString());
    assertEquals("https://deploy.example", fromEnv.url(Service.DEPLOY).toString());
    assertEquals("slp_env", fromEnv.token().orElseThrow());

    Endpoints fromFlags = Endpoints.resolve("http://flag:1", "slp_flag", dir, env::get);
    assertEquals("http://flag:1", fromFlags.url(Service.DEPLOY).toString());
    assertEquals("slp_flag", fromFlags.token().orElseThrow());
  }

  @Test
  void theInstallationKeepsItsSecretsAndIsReadableByItsOwnerOnlyInADirectoryOnlyItsOwnerEnters()
      throws Exception {
    Installation first = Installation.loadOrCreate(dir);
    first.save();
    Installation again = Installation.loadOrCreate(dir);
    assertEquals(first.adminToken(), again.adminToken());
    assertEquals(first.secretsKey(), again.secretsKey());
    assertTrue(first.adminToken().orElseThrow().matches("slp_[A-Za-z0-9_-]{43}"));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(Installation.FILE))));
    assertEquals(
        "rwx------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }
}

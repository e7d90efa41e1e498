package dev.slipway.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.local.ServiceProcess;
import dev.slipway.testkit.SlipwayInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator switches a service's logs to one JSON object per line with SLIPWAY_LOG_JSON. */
class JsonLoggingIT {

  @Test
  void serviceLogsOneJsonObjectPerLineWhenSwitchedOn() throws Exception {
    Path log = Path.of("target", "promotion-service-json.log");
    Files.deleteIfExists(log);
    Map<String, String> config =
        new HashMap<>(
            SlipwayInfrastructure.serviceConfig(SlipwayInfrastructure.get(), "promotion-service"));
    config.put("SLIPWAY_LOG_JSON", "true");
    try (ServiceProcess promotion =
        ServiceProcess.start(
            "promotion-service",
            Path.of(System.getProperty("slipway.services.dir", ".."))
                .resolve("promotion-service/target/quarkus-app/quarkus-run.jar"),
            0,
            config,
            log,
            Duration.ofSeconds(60))) {
      // Ready can answer a moment before the startup line is flushed.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("started in"));
      List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
      assertFalse(lines.isEmpty());
      ObjectMapper json = new ObjectMapper();
      boolean sawStarted = false;
      for (String line : lines) {
        JsonNode entry = json.readTree(line);
        assertTrue(entry.has("level") && entry.has("message"), line);
        sawStarted |= entry.get("message").asText().contains("started in");
      }
      assertTrue(sawStarted, "the startup line is among the JSON entries");
    }
  }
}

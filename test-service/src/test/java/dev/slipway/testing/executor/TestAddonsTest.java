package dev.slipway.testing.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.apps.manifest.Addon;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which test add-ons a run refuses, and the message the user reads. */
class TestAddonsTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "'' | none",
        "heroku-postgresql | none",
        "heroku-postgresql:in-dyno | none",
        "heroku-postgresql:essential-0,heroku-postgresql | none",
        "heroku-redis:mini | app.json: environments.test.addons: heroku-redis is not supported in"
            + " test runs; supported add-ons: heroku-postgresql",
        "heroku-postgresql,papertrail,heroku-redis,papertrail:free | app.json:"
            + " environments.test.addons: papertrail, heroku-redis are not supported in test"
            + " runs; supported add-ons: heroku-postgresql",
      })
  void refusesEveryUnsupportedAddOnByNameListingTheSupportedOnes(String plans, String refusal) {
    List<Addon> addons =
        plans.isEmpty()
            ? List.of()
            : Arrays.stream(plans.split(",")).map(p -> new Addon(p, null, null)).toList();

    assertEquals(refusal, TestAddons.refusal(addons).orElse(null));
  }
}

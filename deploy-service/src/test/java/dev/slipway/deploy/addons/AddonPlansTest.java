package dev.slipway.deploy.addons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which plans Slipway provisions, add-on names, and which app.json add-on a pipeline app gets. */
class AddonPlansTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "heroku-postgresql",
        "heroku-postgresql:essential-0",
        "heroku-postgresql:standard-2",
        "heroku-postgresql:mini"
      })
  void offersHerokuPostgresqlWithAnyPlanName(String plan) {
    assertEquals(Optional.empty(), AddonPlans.problem(plan));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        " ",
        "heroku-redis",
        "heroku-postgresql:",
        "heroku-postgresql:Essential",
        "heroku-postgresql:$(id)",
        "HEROKU-POSTGRESQL",
        "heroku-postgresql\u0000",
        "heroku-postgresqlx"
      })
  void refusesEverythingElseWithoutRepeatingIt(String plan) {
    Optional<String> problem = AddonPlans.problem(plan);
    assertTrue(problem.isPresent(), String.valueOf(plan));
    // One fixed message whatever the input: nothing of it is echoed back.
    assertEquals(AddonPlans.problem(plan == null || plan.isBlank() ? null : "x"), problem);
  }

  @RepeatedTest(20)
  void newNamesAreHerokuStyleAndWellFormed() {
    String name = AddonPlans.newName();
    assertTrue(name.matches("postgresql-[a-z]+-[0-9]{5}"), name);
    assertTrue(AddonPlans.wellFormedName(name), name);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"DATABASE", "postgresql-flat-1", "postgresql-x'-12345", "../etc"})
  void otherNamesAreNotAddonNames(String name) {
    assertFalse(AddonPlans.wellFormedName(name));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "{\"addons\": [\"heroku-postgresql\"]} | heroku-postgresql",
        "{\"addons\": [{\"plan\": \"heroku-postgresql:essential-0\"}]} | heroku-postgresql:essential-0",
        "{\"addons\": [\"heroku-redis\", \"heroku-postgresql:mini\"]} | heroku-postgresql:mini",
        "{\"addons\": [\"heroku-redis\"]} | none",
        "{\"addons\": []} | none",
        "{\"name\": \"no add-ons\"} | none",
        "not json | none",
      })
  void aPipelineAppGetsTheFirstHerokuPostgresqlOfItsAppJson(String appJson, String plan) {
    assertEquals(Optional.ofNullable(plan), Addons.manifestPlan(appJson));
  }
}

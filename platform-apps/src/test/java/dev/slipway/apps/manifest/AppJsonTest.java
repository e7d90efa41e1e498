package dev.slipway.apps.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** app.json parsed as Heroku reads it, with key-path errors. */
class AppJsonTest {

  private static final String FULL =
      """
      {
        "name": "shop",
        "description": "A shop",
        "stack": "heroku-22",
        "logo": "https://example.com/logo.svg",
        "repository": "https://github.com/acme/shop",
        "website": "https://shop.example.com",
        "keywords": ["java"],
        "success_url": "/welcome",
        "image": "heroku/java",
        "something-new": {"heroku": "adds keys"},
        "env": {
          "WEB_CONCURRENCY": "5",
          "SECRET_KEY_BASE": {"description": "signing key", "generator": "secret"},
          "OPTIONAL_FLAG": {"value": "on", "required": false}
        },
        "formation": {
          "web": {"quantity": 2, "size": "standard-2x"},
          "worker": {"quantity": 0}
        },
        "addons": [
          "heroku-redis",
          "heroku-postgresql:essential-0",
          {"plan": "heroku-postgresql", "as": "REPORTS_DB", "options": {"version": "16", "fork": true}}
        ],
        "buildpacks": [{"url": "heroku/nodejs"}, {"url": "https://github.com/acme/bp.git"}],
        "scripts": {
          "postdeploy": "bin/seed",
          "pr-predestroy": "bin/cleanup",
          "release-notes": "bin/notes"
        },
        "environments": {
          "test": {
            "env": {"CI": "true"},
            "scripts": {"test-setup": "bin/setup-ci", "test": "mvn -B verify"},
            "formation": {"test": {"quantity": 4}},
            "addons": ["heroku-postgresql:in-dyno"],
            "buildpacks": [{"url": "heroku/java"}]
          },
          "review": {
            "addons": ["heroku-postgresql:essential-0"],
            "scripts": {"postdeploy": {"command": "bin/seed --review", "size": "standard-1x"}}
          }
        }
      }
      """;

  @Test
  void parsesEverySectionHerokuDefines() {
    AppJson app = AppJson.parse(FULL);

    assertEquals("shop", app.name());
    assertEquals("A shop", app.description());
    assertEquals("heroku-22", app.stack());
    assertEquals(
        List.of("WEB_CONCURRENCY", "SECRET_KEY_BASE", "OPTIONAL_FLAG"),
        List.copyOf(app.env().keySet()));
    assertEquals(
        Map.of("web", new Formation(2, "standard-2x"), "worker", new Formation(0, null)),
        app.formation());
    assertEquals(
        List.of(
            new Addon("heroku-redis", null, Map.of()),
            new Addon("heroku-postgresql:essential-0", null, Map.of()),
            new Addon("heroku-postgresql", "REPORTS_DB", Map.of("version", "16", "fork", true))),
        app.addons());
    assertEquals(
        List.of(new Buildpack("heroku/nodejs"), new Buildpack("https://github.com/acme/bp.git")),
        app.buildpacks());
    assertEquals(
        new Scripts("bin/seed", "bin/cleanup", null, null, Map.of("release-notes", "bin/notes")),
        app.scripts());
  }

  @Test
  void readsTestAndReviewEnvironments() {
    AppJson app = AppJson.parse(FULL);

    AppEnvironment test = app.environment("test").orElseThrow();
    assertEquals("bin/setup-ci", test.scripts().testSetup());
    assertEquals("mvn -B verify", test.scripts().test());
    assertEquals(EnvVar.of("true"), test.env().get("CI"));
    assertEquals(new Formation(4, null), test.formation().get("test"));
    assertEquals("heroku-postgresql", test.addons().get(0).service());
    assertEquals(List.of(new Buildpack("heroku/java")), test.buildpacks());

    AppEnvironment review = app.environment("review").orElseThrow();
    assertEquals("bin/seed --review", review.scripts().postdeploy());
    assertTrue(app.environment("staging").isEmpty());
  }

  @Test
  void envShorthandIsARequiredVariableWithThatValue() {
    EnvVar var = AppJson.parse(FULL).env().get("WEB_CONCURRENCY");

    assertEquals(new EnvVar("5", null, true, null), var);
    assertFalse(var.generatesSecret());
  }

  @Test
  void envObjectIsRequiredUnlessSaidOtherwise() {
    AppJson app = AppJson.parse(FULL);

    EnvVar secret = app.env().get("SECRET_KEY_BASE");
    assertTrue(secret.required());
    assertTrue(secret.generatesSecret());
    assertNull(secret.value());
    assertEquals("signing key", secret.description());
    assertFalse(app.env().get("OPTIONAL_FLAG").required());
  }

  @Test
  void envNumbersAndBooleansAreTakenAsText() {
    AppJson app = AppJson.parse("{\"env\": {\"WORKERS\": 3, \"DEBUG\": {\"value\": false}}}");

    assertEquals("3", app.env().get("WORKERS").value());
    assertEquals("false", app.env().get("DEBUG").value());
  }

  @Test
  void unknownGeneratorIsRefused() {
    assertProblem(
        "{\"env\": {\"X\": {\"generator\": \"uuid\"}}}",
        "app.json: env.X.generator: must be \"secret\"");
  }

  @Test
  void invalidConfigVarNameIsRefused() {
    ManifestException e =
        assertThrows(ManifestException.class, () -> AppJson.parse("{\"env\": {\"A B\": \"x\"}}"));
    assertEquals("env.A B", e.key());
  }

  @Test
  void negativeQuantityNamesItsKey() {
    assertProblem(
        "{\"formation\": {\"web\": {\"quantity\": -1}}}",
        "app.json: formation.web.quantity: must be a non-negative integer");
  }

  @Test
  void fractionalQuantityIsRefused() {
    assertProblem(
        "{\"formation\": {\"web\": {\"quantity\": 1.5}}}",
        "app.json: formation.web.quantity: must be a non-negative integer");
  }

  @Test
  void quantityDefaultsToOne() {
    assertEquals(
        new Formation(1, "basic"),
        AppJson.parse("{\"formation\": {\"web\": {\"size\": \"basic\"}}}").formation().get("web"));
  }

  @Test
  void legacyFormationArrayIsRead() {
    AppJson app = AppJson.parse("{\"formation\": [{\"process\": \"web\", \"quantity\": 3}]}");

    assertEquals(Map.of("web", new Formation(3, null)), app.formation());
  }

  @Test
  void nonStringTestScriptNamesItsPath() {
    assertProblem(
        "{\"environments\": {\"test\": {\"scripts\": {\"test\": [\"mvn\", \"test\"]}}}}",
        "app.json: environments.test.scripts.test: must be a string");
  }

  @Test
  void addonWithoutPlanNamesItsIndex() {
    assertProblem(
        "{\"addons\": [\"heroku-redis\", {\"as\": \"CACHE\"}]}",
        "app.json: addons[1].plan: is required");
  }

  @Test
  void addonsThatAreNotAnArrayAreRefused() {
    assertProblem("{\"addons\": \"heroku-redis\"}", "app.json: addons: must be an array");
  }

  @Test
  void buildpackWithoutUrlIsRefused() {
    assertProblem("{\"buildpacks\": [{}]}", "app.json: buildpacks[0].url: is required");
  }

  @Test
  void addonServiceIsThePartBeforeTheColon() {
    Addon addon = new Addon("heroku-postgresql:essential-0", null, null);

    assertEquals("heroku-postgresql", addon.service());
    assertEquals("essential-0", addon.planName());
    assertEquals("heroku-redis", new Addon("heroku-redis", null, null).service());
  }

  @Test
  void invalidJsonReportsLineAndColumn() {
    ManifestException e =
        assertThrows(
            ManifestException.class, () -> AppJson.parse("{\n  \"name\": \"shop\",\n  oops\n}"));

    assertEquals("app.json", e.file());
    assertEquals("(root)", e.key());
    assertTrue(
        e.getMessage().startsWith("app.json: (root): invalid JSON at line 3 column "),
        e.getMessage());
  }

  @Test
  void trailingGarbageIsInvalidJson() {
    ManifestException e = assertThrows(ManifestException.class, () -> AppJson.parse("{} {}"));
    assertTrue(e.problem().startsWith("invalid JSON"), e.getMessage());
  }

  @Test
  void rootMustBeAnObject() {
    assertProblem("[1, 2]", "app.json: (root): must be a JSON object");
  }

  @Test
  void nullValuesCountAsAbsent() {
    AppJson app = AppJson.parse("{\"name\": null, \"env\": null, \"scripts\": {\"test\": null}}");

    assertNull(app.name());
    assertTrue(app.env().isEmpty());
    assertTrue(app.scripts().isEmpty());
  }

  @Test
  void defaultsDeclareNothing() {
    AppJson defaults = AppJson.defaults();

    assertTrue(defaults.env().isEmpty());
    assertTrue(defaults.formation().isEmpty());
    assertTrue(defaults.scripts().isEmpty());
    assertTrue(defaults.environment("test").isEmpty());
    assertEquals(defaults, AppJson.parse("{}"));
  }

  private static void assertProblem(String json, String message) {
    ManifestException e = assertThrows(ManifestException.class, () -> AppJson.parse(json));
    assertEquals(message, e.getMessage());
  }
}

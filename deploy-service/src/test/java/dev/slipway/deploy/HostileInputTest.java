package dev.slipway.deploy;

import static io.restassured.RestAssured.given;

import dev.slipway.testkit.HostileInput;
import dev.slipway.testkit.HostileInput.Case;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The deploy-service's hostile-input catalogue: app names, config vars (names, NUL bytes, values
 * and totals above the caps, names to mark secret) and formation (process types outside the
 * Procfile grammar, on an app with no release yet), add-on plans and names, rollbacks and
 * review-app requests (branches, pull-request numbers), and paths and queries (app names no app can
 * have, release versions, log tails, review-app ids). Each is refused with the field named and
 * changes no app, config, formation, release or event; none is ever a 500.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class HostileInputTest {

  private static String app;

  private static synchronized String app() {
    if (app == null) {
      app = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
      admin().body(Map.of("name", app)).post("/apps").then().statusCode(201);
      admin()
          .body(Map.of("EXISTING", "x".repeat(30 * 1024)))
          .patch("/apps/" + app + "/config-vars")
          .then()
          .statusCode(200);
    }
    return app;
  }

  private static Map<String, Long> state() {
    return HostileInput.counts(
        List.of(
            "select count(*) from deploy_service.app where name in ('abc-', 'kube-system',"
                + " 'default', 'slipway-x', 'shop-pr-5', 'Upper', 'a_b', '-x', 'ok-stage',"
                + " 'ok-pipeline')",
            "select count(*) from deploy_service.review_app",
            "select length(config) from deploy_service.app where name = ?",
            "select length(secret_names) from deploy_service.app where name = ?",
            "select length(formation) from deploy_service.app where name = ?",
            "select count(*) from deploy_service.release where app_name = ?",
            "select count(*) from deploy_service.addon where app_name = ?",
            "select count(*) from deploy_service.outbox_event"
                + " where position(convert_to(?, 'UTF8') in payload) > 0"),
        app(),
        app(),
        app(),
        app(),
        app());
  }

  private static List<Case> catalogue() {
    String a = app();
    String nested = "{\"extra\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
    String nestedValue = "{\"A\":".repeat(3000) + "1" + "}".repeat(3000);
    List<Case> cases =
        new java.util.ArrayList<>(
            List.of(
                create("name with a trailing dash", "abc-"),
                create("name kube-system", "kube-system"),
                create("name default", "default"),
                create("name slipway-x", "slipway-x"),
                create("name of review-app form", "shop-pr-5"),
                create("name with upper case", "Upper"),
                create("name with an underscore", "a_b"),
                create("name starting with a dash", "-x"),
                new Case(
                    "app body nested 3000 deep",
                    400,
                    "body",
                    () -> admin().body(nested).post("/apps")),
                config(
                    "config var value with a NUL byte", 400, "TOKEN", Map.of("TOKEN", "a\u0000b")),
                config(
                    "config var value of 2 MB",
                    400,
                    "BLOB",
                    Map.of("BLOB", "x".repeat(2 * 1024 * 1024))),
                config("config var name with a dash", 400, "A-B", Map.of("A-B", "1")),
                config("config var name starting with a digit", 400, "1A", Map.of("1A", "1")),
                config("config var name with a space", 400, "A B", Map.of("A B", "1")),
                new Case(
                    "config vars above the total per app",
                    413,
                    "config_vars",
                    () -> admin().body(manyLargeVars()).patch("/apps/" + a + "/config-vars")),
                new Case(
                    "config var value nested 3000 deep",
                    400,
                    "A",
                    () -> admin().body(nestedValue).patch("/apps/" + a + "/config-vars")),
                mark("secret naming a var the app does not have", "secret", Map.of(), "NOPE"),
                mark(
                    "secret naming a var with shell characters",
                    "secret",
                    Map.of("EXISTING", "y"),
                    "$(reboot)"),
                mark("secret of a name with a space", "secret", Map.of(), "A B"),
                mark(
                    "secret marked alongside a bad config var",
                    "A-B",
                    Map.of("A-B", "1"),
                    "EXISTING"),
                HostileInput.path(
                    "config vars of an app named with a NUL byte",
                    404,
                    null,
                    "GET",
                    "/apps/a%00b/config-vars"),
                // No app has that name, so it has no releases: listed as none, as for any name.
                HostileInput.path(
                    "releases of an app named with a NUL byte",
                    200,
                    null,
                    "GET",
                    "/apps/a%00b/releases"),
                HostileInput.path(
                    "release v1 of an app named with a NUL byte",
                    404,
                    null,
                    "GET",
                    "/apps/a%00b/releases/v1"),
                HostileInput.path(
                    "log of an app named with a NUL byte", 404, null, "GET", "/apps/a%00b/logs"),
                HostileInput.path(
                    "config vars of an app named ../..",
                    404,
                    null,
                    "GET",
                    "/apps/..%2F..%2Fetc/config-vars"),
                HostileInput.path(
                    "app named 300 characters", 404, null, "GET", "/apps/" + "a".repeat(300)),
                HostileInput.path(
                    "config change of an app named with a NUL byte",
                    404,
                    null,
                    "PATCH",
                    "/apps/a%00b/config-vars",
                    "{\"A\": \"1\"}"),
                HostileInput.path(
                    "release version a word",
                    400,
                    "version",
                    "GET",
                    "/apps/" + a + "/releases/latest"),
                HostileInput.path(
                    "release version above an int",
                    400,
                    "version",
                    "GET",
                    "/apps/" + a + "/releases/v99999999999"),
                HostileInput.path("log tail 0", 400, null, "GET", "/apps/" + a + "/logs?tail=0"),
                HostileInput.path(
                    "log tail above the cap", 400, null, "GET", "/apps/" + a + "/logs?tail=1501"),
                HostileInput.path(
                    "review app id not a UUID", 404, null, "GET", "/review-apps/..%2F1"),
                HostileInput.path(
                    "approval of a review app id not a UUID",
                    404,
                    null,
                    "POST",
                    "/review-apps/x/approve"),
                HostileInput.path(
                    "formation of an app named with a NUL byte",
                    404,
                    null,
                    "GET",
                    "/apps/a%00b/formation"),
                HostileInput.path(
                    "scaling an app named with a NUL byte",
                    404,
                    null,
                    "PATCH",
                    "/apps/a%00b/formation",
                    "{\"web\": 1}"),
                HostileInput.path(
                    "rollback of an app named with a NUL byte",
                    404,
                    null,
                    "POST",
                    "/apps/a%00b/releases",
                    "{\"rollback_to\": \"v1\"}"),
                HostileInput.path(
                    "deleting a review app id not a UUID", 404, null, "DELETE", "/review-apps/x"),
                HostileInput.path(
                    "review apps of a pipeline with a NUL byte",
                    404,
                    null,
                    "GET",
                    "/pipelines/a%00b/review-apps"),
                new Case(
                    "quantity as a word",
                    400,
                    "web",
                    () -> admin().body(Map.of("web", "two")).patch("/apps/" + a + "/formation")),
                new Case(
                    "config var value an array nested 3000 deep",
                    400,
                    "extra",
                    () -> admin().body(nested).patch("/apps/" + a + "/config-vars")),
                formation("process type with a colon", "web:", 1),
                formation("process type with a space", "we b", 1),
                formation("process type with shell characters", "$(reboot)", 1),
                formation("process type of 64 characters", "w".repeat(64), 1),
                new Case(
                    "negative quantity",
                    400,
                    "web",
                    () -> admin().body(Map.of("web", -1)).patch("/apps/" + a + "/formation")),
                new Case(
                    "app stage not a stage",
                    400,
                    "stage",
                    () -> admin().body(Map.of("name", "ok-stage", "stage", "prod")).post("/apps")),
                new Case(
                    "app pipeline not an id",
                    400,
                    "pipeline",
                    () ->
                        admin()
                            .body(Map.of("name", "ok-pipeline", "pipeline", "../etc"))
                            .post("/apps")),
                addon("add-on plan of another service", Map.of("plan", "heroku-redis")),
                addon("add-on plan missing", Map.of()),
                addon("add-on plan empty", Map.of("plan", "")),
                addon("add-on plan with a NUL byte", Map.of("plan", "heroku-postgresql\u0000")),
                addon(
                    "add-on plan with shell characters", Map.of("plan", "heroku-postgresql:$(id)")),
                addon(
                    "add-on plan of 1 MB",
                    Map.of("plan", "heroku-postgresql:" + "x".repeat(1 << 20))),
                addon("add-on plan as a number", Map.of("plan", 5)),
                new Case(
                    "add-on body nested 3000 deep",
                    400,
                    "body",
                    () -> admin().body(nested).post("/apps/" + a + "/addons")),
                destroyAddon("add-on name DATABASE", "DATABASE"),
                destroyAddon("add-on name with a quote", "postgresql-x'-1"),
                destroyAddon("add-on name of 300 characters", "postgresql-" + "a".repeat(289)),
                rollback("rollback to v0", 400, "v0"),
                rollback("rollback to a shell command", 400, "$(reboot)"),
                rollback("rollback to a release the app never had", 422, "v99"),
                new Case(
                    "rollback body nested 3000 deep",
                    400,
                    "body",
                    () -> admin().body(nested).post("/apps/" + a + "/releases")),
                reviewApp("review app branch .hidden", "branch", Map.of("branch", ".hidden")),
                reviewApp("review app branch a..b", "branch", Map.of("branch", "a..b")),
                reviewApp("review app branch -rf", "branch", Map.of("branch", "-rf")),
                reviewApp("review app branch x.lock", "branch", Map.of("branch", "x.lock")),
                reviewApp("review app pull request 0", "pr_number", Map.of("pr_number", 0)),
                reviewApp(
                    "review app pull request as a word", "pr_number", Map.of("pr_number", "five")),
                reviewApp(
                    "review app pull request above an int",
                    "pr_number",
                    Map.of("pr_number", 99_999_999_999L)),
                new Case(
                    "review app body nested 3000 deep",
                    400,
                    "body",
                    () ->
                        admin()
                            .body(nested)
                            .post("/pipelines/" + UUID.randomUUID() + "/review-apps"))));
    return cases;
  }

  @Test
  void everyHostileInputIsRefusedNamingTheFieldAndChangesNothing() {
    HostileInput.assertRefused(catalogue(), HostileInputTest::state);
  }

  @Test
  void noHostileInputIsAnsweredWithAServerError() {
    HostileInput.assertNoServerError(catalogue());
  }

  private static Case create(String name, String appName) {
    return new Case(name, 400, "name", () -> admin().body(Map.of("name", appName)).post("/apps"));
  }

  private static Case config(String name, int status, String field, Map<String, String> vars) {
    return new Case(
        name, status, field, () -> admin().body(vars).patch("/apps/" + app() + "/config-vars"));
  }

  /** A config change that also marks {@code secret} secret; refused, it marks nothing. */
  private static Case mark(String name, String field, Map<String, String> vars, String secret) {
    return new Case(
        name,
        400,
        field,
        () ->
            admin()
                .queryParam("secret", secret)
                .body(vars)
                .patch("/apps/" + app() + "/config-vars"));
  }

  private static Case formation(String name, String type, int quantity) {
    return new Case(
        name,
        400,
        type,
        () -> admin().body(Map.of(type, quantity)).patch("/apps/" + app() + "/formation"));
  }

  private static Case addon(String name, Map<String, Object> body) {
    return new Case(name, 400, "plan", () -> admin().body(body).post("/apps/" + app() + "/addons"));
  }

  private static Case destroyAddon(String name, String addon) {
    return new Case(
        name, 400, "name", () -> admin().delete("/apps/" + app() + "/addons/{name}", addon));
  }

  private static Case rollback(String name, int status, String version) {
    return new Case(
        name,
        status,
        "rollback_to",
        () -> admin().body(Map.of("rollback_to", version)).post("/apps/" + app() + "/releases"));
  }

  /** A review app request for a pipeline nobody knows: the body is refused before the lookup. */
  private static Case reviewApp(String name, String field, Map<String, Object> override) {
    Map<String, Object> body = new HashMap<>(Map.of("branch", "feature", "pr_number", 5));
    body.putAll(override);
    return new Case(
        name,
        400,
        field,
        () -> admin().body(body).post("/pipelines/" + UUID.randomUUID() + "/review-apps"));
  }

  /** Each value within the per-value cap; together above the per-app total. */
  private static Map<String, String> manyLargeVars() {
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      vars.put("LARGE_" + i, "y".repeat(30 * 1024));
    }
    return vars;
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN).contentType(ContentType.JSON);
  }
}

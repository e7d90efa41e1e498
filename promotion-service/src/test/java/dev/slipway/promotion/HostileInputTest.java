package dev.slipway.promotion;

import static io.restassured.RestAssured.given;

import dev.slipway.testkit.HostileInput;
import dev.slipway.testkit.HostileInput.Case;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The promotion-service's hostile-input catalogue: pipeline bodies on create and update (names,
 * repository URLs to this service, file:/// and local paths, forges, webhook secrets, forge tokens,
 * branches, couplings, review-app and promotion settings, stage config vars, malformed and deeply
 * nested JSON) and promotion requests (sources, releases, targets), and paths and queries (ids that
 * are no UUID, DORA windows, limits). Each is refused with the field named, stores no pipeline and
 * publishes no event; none is ever a 500.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class HostileInputTest {

  private static final String REPO = "https://github.com/acme/hostile";
  private static String pipeline;

  private static synchronized String pipeline() {
    if (pipeline == null) {
      pipeline =
          admin()
              .body(
                  Map.of(
                      "name",
                      "hostile-" + UUID.randomUUID().toString().substring(0, 6),
                      "repository_url",
                      REPO))
              .post("/pipelines")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
    }
    return pipeline;
  }

  private static Map<String, Long> state() {
    return HostileInput.counts(
        List.of(
            "select count(*) from promotion_service.pipeline",
            "select count(*) from promotion_service.pipeline_coupling",
            "select count(*) from promotion_service.promotion",
            "select count(*) from promotion_service.outbox_event"
                + " where topic in ('slipway.pipelines', 'slipway.promotions')"));
  }

  private static List<Case> catalogue() {
    String id = pipeline();
    String nested = "{\"extra\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
    String nestedName = "{\"name\":".repeat(3000) + "1" + "}".repeat(3000);
    return List.of(
        create("name with a trailing dash", 400, "name", Map.of("name", "abc-")),
        create("name kube-system", 400, "name", Map.of("name", "kube-system")),
        create("name default", 400, "name", Map.of("name", "default")),
        create("name slipway-x", 400, "name", Map.of("name", "slipway-x")),
        create("name of review-app form", 400, "name", Map.of("name", "shop-pr-5")),
        create("name with shell characters", 400, "name", Map.of("name", "a$(id)b")),
        create(
            "repository URL to this service's metrics",
            400,
            "repository_url",
            Map.of(
                "name",
                fresh(),
                "repository_url",
                "http://127.0.0.1:" + RestAssured.port + "/q/metrics")),
        create(
            "repository URL file:///",
            400,
            "repository_url",
            Map.of("name", fresh(), "repository_url", "file:///etc/passwd")),
        create(
            "repository URL a local path",
            400,
            "repository_url",
            Map.of("name", fresh(), "repository_url", "/root/.ssh/repo.git")),
        patch(
            id,
            "update repository URL to loopback over HTTPS",
            400,
            "repository_url",
            Map.of("repository_url", "https://127.0.0.1:" + RestAssured.port + "/acme/x.git")),
        create("forge not a forge", 400, "forge", Map.of("name", fresh(), "forge", "bitbucket")),
        create(
            "webhook secret of 15 characters",
            400,
            "webhook_secret",
            Map.of("name", fresh(), "webhook_secret", "s".repeat(15))),
        create(
            "forge token of 1025 characters",
            400,
            "forge_token",
            Map.of("name", fresh(), "forge_token", "t".repeat(1025))),
        create(
            "coupling stage not a stage",
            400,
            "couplings[0].stage",
            Map.of(
                "name",
                fresh(),
                "couplings",
                List.of(Map.of("stage", "prod", "app_name", "ok-app")))),
        patch(
            id,
            "update review apps stale after 0 days",
            400,
            "review_apps.stale_days",
            Map.of("review_apps", Map.of("stale_days", 0))),
        patch(
            id,
            "update required approvals to 11",
            400,
            "promotion_policy.required_approvals",
            Map.of("promotion_policy", Map.of("required_approvals", 11))),
        create("branch .hidden", 400, "branch", Map.of("name", fresh(), "branch", ".hidden")),
        create("branch a..b", 400, "branch", Map.of("name", fresh(), "branch", "a..b")),
        create("branch -rf", 400, "branch", Map.of("name", fresh(), "branch", "-rf")),
        create("branch x.lock", 400, "branch", Map.of("name", fresh(), "branch", "x.lock")),
        create("branch with a space", 400, "branch", Map.of("name", fresh(), "branch", "a b")),
        create(
            "coupled app kube-system",
            400,
            "couplings[0].app_name",
            Map.of(
                "name",
                fresh(),
                "couplings",
                List.of(Map.of("stage", "staging", "app_name", "kube-system")))),
        create(
            "coupled app of review-app form",
            400,
            "couplings[0].app_name",
            Map.of(
                "name",
                fresh(),
                "couplings",
                List.of(Map.of("stage", "staging", "app_name", "shop-pr-5")))),
        create(
            "test config var with NUL",
            400,
            "config_vars.test[TOKEN]",
            Map.of("name", fresh(), "config_vars", Map.of("test", Map.of("TOKEN", "a\u0000b")))),
        new Case(
            "body not JSON", 400, "body", () -> admin().body("{\"name\": ").post("/pipelines")),
        new Case(
            "body nested 3000 deep", 400, "body", () -> admin().body(nested).post("/pipelines")),
        new Case(
            "name nested 3000 deep",
            400,
            "name",
            () -> admin().body(nestedName).post("/pipelines")),
        create(
            "approvals as a word",
            400,
            "promotion_policy.required_approvals",
            Map.of("name", fresh(), "promotion_policy", Map.of("required_approvals", "many"))),
        patch(id, "update branch .hidden", 400, "branch", Map.of("branch", ".hidden")),
        patch(id, "update name abc-", 400, "name", Map.of("name", "abc-")),
        patch(
            id,
            "update auto-deploy branch a..b",
            400,
            "auto_deploy.branch",
            Map.of("auto_deploy", Map.of("branch", "a..b"))),
        patch(
            id,
            "update review base name kube-x",
            400,
            "review_apps.base_name",
            Map.of("review_apps", Map.of("base_name", "kube-x"))),
        patch(
            id,
            "update review config var with NUL",
            400,
            "config_vars.review[DB]",
            Map.of("config_vars", Map.of("review", Map.of("DB", "x\u0000")))),
        new Case(
            "update body nested 3000 deep",
            400,
            "body",
            () -> admin().body(nested).patch("/pipelines/" + id)),
        promote(id, "promotion without a source", 400, "source", Map.of()),
        promote(
            id,
            "promotion source with shell characters",
            400,
            "source.app",
            Map.of("source", Map.of("app", "$(id)"))),
        promote(
            id,
            "promotion source release v0",
            400,
            "source.release",
            Map.of("source", Map.of("app", "shop-staging", "release", "v0"))),
        promote(
            id,
            "promotion source release above an int",
            400,
            "source.release",
            Map.of("source", Map.of("app", "shop-staging", "release", "v99999999999"))),
        promote(
            id,
            "promotion target with a path",
            400,
            "targets[0]",
            Map.of("source", Map.of("app", "shop-staging"), "targets", List.of("../etc"))),
        promote(
            id,
            "promotion to 51 targets",
            400,
            "targets",
            Map.of(
                "source",
                Map.of("app", "shop-staging"),
                "targets",
                java.util.stream.IntStream.range(0, 51).mapToObj(i -> "app-" + i).toList())),
        promote(
            id,
            "promotion of an app outside the pipeline",
            422,
            "source.app",
            Map.of("source", Map.of("app", "stranger"))),
        new Case(
            "promotion of an unknown pipeline",
            404,
            null,
            () ->
                admin()
                    .body(Map.of("source", Map.of("app", "shop-staging")))
                    .post("/pipelines/" + UUID.randomUUID() + "/promotions")),
        new Case(
            "promotion body nested 3000 deep",
            400,
            "body",
            () -> admin().body(nested).post("/pipelines/" + id + "/promotions")),
        HostileInput.path("a pipeline id not a UUID", 404, null, "GET", "/pipelines/..%2F..%2Fetc"),
        HostileInput.path(
            "deleting a pipeline id not a UUID", 404, null, "DELETE", "/pipelines/$(reboot)"),
        HostileInput.path(
            "updating a pipeline id not a UUID",
            404,
            null,
            "PATCH",
            "/pipelines/a%00b",
            "{\"name\": \"" + fresh() + "\"}"),
        HostileInput.path(
            "the overview of a pipeline id not a UUID", 404, null, "GET", "/pipelines/x/overview"),
        HostileInput.path(
            "DORA window a word",
            400,
            "window",
            "GET",
            "/pipelines/" + id + "/metrics/dora?window=forever"),
        HostileInput.path(
            "DORA window of 20 digits",
            400,
            "window",
            "GET",
            "/pipelines/" + id + "/metrics/dora?window=99999999999999999999d"),
        HostileInput.path(
            "DORA window above a year",
            400,
            "window",
            "GET",
            "/pipelines/" + id + "/metrics/dora?window=366d"),
        HostileInput.path(
            "promotions limit 0", 400, null, "GET", "/pipelines/" + id + "/promotions?limit=0"),
        HostileInput.path(
            "a promotion id not a UUID", 404, null, "GET", "/promotions/not-a-promotion"),
        HostileInput.path(
            "approving a promotion id not a UUID", 404, null, "POST", "/promotions/x/approvals"),
        HostileInput.path(
            "the dashboard's live feed of a pipeline id not a UUID",
            404,
            null,
            "GET",
            "/dashboard/pipelines/..%2F..%2Fq%2Fmetrics/events"));
  }

  @Test
  void everyHostileInputIsRefusedNamingTheFieldAndChangesNothing() {
    HostileInput.assertRefused(catalogue(), HostileInputTest::state);
  }

  @Test
  void noHostileInputIsAnsweredWithAServerError() {
    HostileInput.assertNoServerError(catalogue());
  }

  private static Case create(String name, int status, String field, Map<String, Object> body) {
    Map<String, Object> full = new java.util.HashMap<>(body);
    full.putIfAbsent("repository_url", REPO);
    return new Case(name, status, field, () -> admin().body(full).post("/pipelines"));
  }

  private static Case patch(
      String id, String name, int status, String field, Map<String, Object> body) {
    return new Case(name, status, field, () -> admin().body(body).patch("/pipelines/" + id));
  }

  private static Case promote(
      String id, String name, int status, String field, Map<String, Object> body) {
    return new Case(
        name, status, field, () -> admin().body(body).post("/pipelines/" + id + "/promotions"));
  }

  private static String fresh() {
    return "ok-" + UUID.randomUUID().toString().substring(0, 6);
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN).contentType(ContentType.JSON);
  }
}

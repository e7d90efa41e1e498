package dev.slipway.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.platform.auth.Role;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every Slipway service must do, run by each service's own {@code @QuarkusTest} subclass: boot
 * migrated and healthy, expose its operations endpoints, and enforce bearer-token roles.
 */
public abstract class PlatformServiceContract {

  @Test
  public void bootsReadyWithDatabaseKafkaAndRelayChecks() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("outbox-relay"))
        .body("checks.name", hasItem(containsString("Database connections")))
        .body("checks.name", hasItem(containsString("Kafka")));
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  public void exposesPrometheusMetricsAndOpenApi() {
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("slipway_outbox_published_total"));
    given()
        .accept("application/json")
        .when()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", notNullValue())
        .body(containsString("/api-tokens"));
    given().when().get("/q/swagger-ui/").then().statusCode(200);
  }

  @Test
  public void refusesACallWithoutATokenWith401AndABearerChallenge() {
    given()
        .when()
        .get("/api-tokens")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"));
    given().auth().oauth2("slp_not-a-real-token").when().get("/api-tokens").then().statusCode(401);
  }

  @Test
  public void refusesALesserRoleWith403() {
    for (String role : new String[] {"viewer", "developer"}) {
      given()
          .auth()
          .oauth2(TestTokens.issue(role).token())
          .when()
          .get("/api-tokens")
          .then()
          .statusCode(403);
    }
  }

  @Test
  public void listsTokensWithoutTheirValuesAndStopsAcceptingARevokedOne() {
    TestTokens.Issued admin = TestTokens.issue("admin");
    given()
        .auth()
        .oauth2(admin.token())
        .when()
        .get("/api-tokens")
        .then()
        .statusCode(200)
        .body("id", hasItem(admin.id()))
        .body(not(containsString(admin.token())));
    given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .when()
        .delete("/api-tokens/" + admin.id())
        .then()
        .statusCode(204);
    given().auth().oauth2(admin.token()).when().get("/api-tokens").then().statusCode(401);
  }

  @Test
  public void docsApiRoleTableListsEveryEndpointAndBodyFieldRuleOfThisService() {
    String service = RoleMatrix.service();
    List<RoleMatrix.Endpoint> endpoints = RoleMatrix.endpoints();
    assertFalse(endpoints.isEmpty(), "no JAX-RS endpoints found");
    var generated = RoleMatrix.rows(endpoints);
    assertEquals(
        String.join("\n", RoleMatrix.documentedRows(service)),
        String.join("\n", generated),
        "docs/api.md's role table must list exactly these rows for " + service);
    assertEquals(
        String.join("\n", RoleMatrix.documentedFieldRows(service)),
        String.join("\n", RoleMatrix.fieldRows(RoleMatrix.fieldRules(endpoints))),
        "docs/api.md's field role table must list exactly these rows for " + service);
  }

  @Test
  public void everyEndpointAnswersNoTokenAndEachRoleAsItsRuleSays() {
    Map<Role, String> tokens = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      tokens.put(r, TestTokens.issue(r.id()).token());
    }
    List<String> wrong = new ArrayList<>();
    for (RoleMatrix.Endpoint e : RoleMatrix.endpoints()) {
      String body = RoleMatrix.body(e, null);
      int anonymous = RoleMatrix.call(e, null, body).statusCode();
      if (e.role().equals(RoleMatrix.PUBLIC)) {
        for (Role r : Role.values()) {
          int status = RoleMatrix.call(e, tokens.get(r), body).statusCode();
          if (status != anonymous || status == 403) {
            wrong.add(e.key() + " as " + r.id() + ": " + status + ", anonymous " + anonymous);
          }
        }
        continue;
      }
      if (anonymous != 401) {
        wrong.add(e.key() + " without a token: " + anonymous + ", expected 401");
      }
      for (Role r : Role.values()) {
        int status = RoleMatrix.call(e, tokens.get(r), body).statusCode();
        boolean allowed = RoleMatrix.holds(r, e.role());
        if (allowed ? status == 401 || status == 403 : status != 403) {
          wrong.add(
              e.key()
                  + " as "
                  + r.id()
                  + ": "
                  + status
                  + (allowed ? ", expected neither 401 nor 403" : ", expected 403"));
        }
      }
    }
    for (RoleMatrix.FieldRule f : RoleMatrix.fieldRules(RoleMatrix.endpoints())) {
      String body = RoleMatrix.body(f.endpoint(), f.rule());
      for (Role r : Role.values()) {
        Response answer = RoleMatrix.call(f.endpoint(), tokens.get(r), body);
        int status = answer.statusCode();
        String where = f.endpoint().key() + " setting " + f.rule().field() + " as " + r.id();
        if (!RoleMatrix.holds(r, f.endpoint().role())) {
          if (status != 403) {
            wrong.add(where + ": " + status + ", expected 403");
          }
        } else if (!RoleMatrix.holds(r, f.rule().role())) {
          if (status != 403 || !f.rule().field().equals(answer.path("field"))) {
            wrong.add(where + ": " + status + ", expected 403 naming the field");
          }
        } else if (status == 401 || status == 403) {
          wrong.add(where + ": " + status + ", expected neither 401 nor 403");
        }
      }
    }
    assertTrue(wrong.isEmpty(), "role matrix broken:\n" + String.join("\n", wrong));
  }

  @Test
  public void refusesAnInvalidTokenRequestNamingTheField() {
    given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .contentType(ContentType.JSON)
        .body("{\"name\": \"ci\", \"role\": \"owner\"}")
        .when()
        .post("/api-tokens")
        .then()
        .statusCode(400)
        .body("field", equalTo("role"))
        .body("message", containsString("role"));
  }

  @Test
  public void hostileTokenRequestsAreRefusedNamingTheFieldAndChangeNothing() {
    String schema = ConfigProvider.getConfig().getValue("slipway.schema", String.class);
    String existing = "ci-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, tokenRequest("{\"name\": \"" + existing + "\", \"role\": \"viewer\"}"));
    String nested = "{\"name\":".repeat(3000) + "1" + "}".repeat(3000);
    String deepExtra =
        "{\"name\": \"deep\", \"role\": \"viewer\", \"extra\": "
            + "[".repeat(3000)
            + "]".repeat(3000)
            + "}";
    List<HostileInput.Case> catalogue =
        List.of(
            tokenCase("a name already taken", 409, "name", existing, "viewer"),
            tokenCase("a name taken, in other case", 409, "name", existing.toUpperCase(), "admin"),
            tokenCase("the bootstrap admin's name", 409, "name", "bootstrap-admin", "viewer"),
            tokenCase("an unknown role", 400, "role", "fresh-" + existing, "owner"),
            tokenCase("a name with a quote", 400, "name", "x'; drop table", "viewer"),
            tokenCase("a blank name", 400, "name", " ", "viewer"),
            tokenCase("a name of 65 characters", 400, "name", "n".repeat(65), "viewer"),
            new HostileInput.Case(
                "a name nested 3000 deep", 400, "name", () -> tokenRequestResponse(nested)),
            new HostileInput.Case(
                "an extra field nested 3000 deep",
                400,
                "body",
                () -> tokenRequestResponse(deepExtra)),
            new HostileInput.Case(
                "a body that is not JSON", 400, "body", () -> tokenRequestResponse("{\"name\": ")));
    HostileInput.assertRefused(
        catalogue,
        () ->
            HostileInput.counts(
                List.of(
                    "select count(*) from " + schema + ".api_token",
                    "select count(*) from " + schema + ".outbox_event")));
    HostileInput.assertNoServerError(catalogue);
  }

  private static HostileInput.Case tokenCase(
      String name, int status, String field, String tokenName, String role) {
    return new HostileInput.Case(
        name,
        status,
        field,
        () ->
            tokenRequestResponse("{\"name\": \"" + tokenName + "\", \"role\": \"" + role + "\"}"));
  }

  private static Response tokenRequestResponse(String body) {
    return given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/api-tokens");
  }

  private static int tokenRequest(String body) {
    return tokenRequestResponse(body).statusCode();
  }
}

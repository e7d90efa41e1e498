package dev.slipway.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.http.ContentType;
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
}

package dev.slipway.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import java.util.UUID;

/** Issues API tokens through the service's own admin API, as an operator would. */
public final class TestTokens {

  /** A token issued for a test: its id and its value. */
  public record Issued(String id, String token) {}

  private TestTokens() {}

  /** Issues a token with {@code role} on the service under test. */
  public static Issued issue(String role) {
    String name = "test-" + role + "-" + UUID.randomUUID().toString().substring(0, 8);
    var body =
        given()
            .auth()
            .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
            .contentType(ContentType.JSON)
            .body("{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}")
            .when()
            .post("/api-tokens")
            .then()
            .statusCode(201)
            .body("role", equalTo(role))
            .body("name", equalTo(name))
            .extract();
    return new Issued(body.path("id"), body.path("token"));
  }
}

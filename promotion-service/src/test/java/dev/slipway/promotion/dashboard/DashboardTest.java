package dev.slipway.promotion.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.events.EventType;
import dev.slipway.events.release.ReleaseCreated;
import dev.slipway.events.release.ReleaseStatus;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import dev.slipway.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the browser dashboard needs from promotion-service besides the public API. */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class DashboardTest {

  @Test
  void theDashboardPageIsServedAtTheRootWithoutAToken() {
    given()
        .get("/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .body(containsString("/dashboard/app.js"));
    given().get("/dashboard/app.js").then().statusCode(200);
  }

  @Test
  void theSessionNamesTheTokensHighestRole() {
    for (String role : List.of("viewer", "developer", "admin")) {
      given()
          .auth()
          .oauth2(TestTokens.issue(role).token())
          .get("/dashboard/session")
          .then()
          .statusCode(200)
          .body("role", equalTo(role));
    }
    given().get("/dashboard/session").then().statusCode(401);
  }

  @Test
  void theLiveFeedSaysChangedWhenAReleaseOfThePipelineArrives() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String app = "live-s" + suffix;
    String pipelineId =
        given()
            .auth()
            .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "name",
                    "live-" + suffix,
                    "repository_url",
                    "https://github.com/acme/live-" + suffix,
                    "couplings",
                    List.of(Map.of("stage", "staging", "app_name", app))))
            .post("/pipelines")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    HttpResponse<InputStream> feed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:"
                                + RestAssured.port
                                + "/dashboard/pipelines/"
                                + pipelineId
                                + "/events"))
                    .header("Authorization", "Bearer " + TestTokens.issue("viewer").token())
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, feed.statusCode());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(feed.body(), StandardCharsets.UTF_8))) {
      assertEquals("data:ready", nextData(lines));
      TestEvents.publish(
          "urn:slipway:dashboard-test",
          EventType.RELEASE_CREATED,
          new ReleaseCreated(
              pipelineId,
              app,
              "rel-" + suffix,
              1,
              "sha256:" + "a".repeat(64),
              ReleaseStatus.PENDING,
              "Deploy v1",
              "build"));
      String next = nextData(lines);
      while ("data:heartbeat".equals(next)) {
        next = nextData(lines);
      }
      assertEquals("data:changed", next);
    }
  }

  @Test
  void theLiveFeedOfAnUnknownPipelineSaysGoneAndEnds() {
    given()
        .auth()
        .oauth2(TestTokens.issue("viewer").token())
        .accept("text/event-stream")
        .get("/dashboard/pipelines/" + UUID.randomUUID() + "/events")
        .then()
        .statusCode(200)
        .body(equalTo("data:gone\n\n"));
  }

  private static String nextData(BufferedReader lines) throws Exception {
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.startsWith("data:")) {
        return line.replace("data: ", "data:");
      }
    }
    return null;
  }
}

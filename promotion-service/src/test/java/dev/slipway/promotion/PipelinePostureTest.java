package dev.slipway.promotion;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's security posture (repository, forge credentials, promotion policy) is the admin's: a
 * developer cannot change it, and no one can point it at a place Slipway must not fetch from.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class PipelinePostureTest {

  @Test
  void developerCannotLowerRequiredApprovalsAndThePolicyStaysAsItWas() {
    String id = createWithOneRequiredApproval();
    String before = admin().get("/pipelines/" + id).then().extract().path("updated_at");

    as(developer())
        .body(Map.of("promotion_policy", Map.of("required_approvals", 0)))
        .patch("/pipelines/" + id)
        .then()
        .statusCode(403)
        .body("field", equalTo("promotion_policy"));

    admin()
        .get("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("promotion_policy.required_approvals", equalTo(1))
        .body("updated_at", equalTo(before));
  }

  @Test
  void developerCannotRedirectTheRepositoryOrReplaceForgeCredentials() throws Exception {
    String id = createWithOneRequiredApproval();
    String developer = developer();
    try (Loopback forge = new Loopback()) {
      for (Map.Entry<String, Object> change :
          List.<Map.Entry<String, Object>>of(
              Map.entry("repository_url", forge.url() + "/acme/shop.git"),
              Map.entry("forge", "gitlab"),
              Map.entry("forge_token", "glpat-stolen-by-a-developer"),
              Map.entry("webhook_secret", "a-developer-chosen-secret"))) {
        as(developer)
            .body(Map.of(change.getKey(), change.getValue()))
            .patch("/pipelines/" + id)
            .then()
            .statusCode(403)
            .body("field", equalTo(change.getKey()));
      }
      assertEquals(0, forge.hits.get(), "nothing may be sent to the developer's host");
    }
    admin()
        .get("/pipelines/" + id)
        .then()
        .body("repository_url", equalTo("https://github.com/acme/posture.git"))
        .body("forge", equalTo("github"))
        .body("forge_token_set", equalTo(true));
    // A developer keeps the day-to-day fields.
    as(developer)
        .body(Map.of("auto_deploy", Map.of("wait_for_ci", false)))
        .patch("/pipelines/" + id)
        .then()
        .statusCode(200);
  }

  @Test
  void repositoryUrlsToInternalEndpointsOrLocalFilesAreRefusedBeforeAnyConnection()
      throws Exception {
    String id = createWithOneRequiredApproval();
    try (Loopback internal = new Loopback()) {
      List<String> hostile =
          List.of(
              "http://127.0.0.1:" + RestAssured.port + "/q/metrics",
              internal.url() + "/acme/shop.git",
              "https://127.0.0.1:" + internal.port() + "/acme/shop.git",
              "https://[::1]:" + internal.port() + "/acme/shop.git",
              "https://169.254.169.254/latest/meta-data",
              "https://10.0.0.1/acme/shop.git",
              "https://192.168.0.10/acme/shop.git",
              "file:///etc/passwd",
              "file:///var/lib/slipway/",
              "/etc",
              "/root/.ssh/repo.git",
              "https://git.internal.example/acme/shop.git");
      int pipelines = admin().get("/pipelines").then().extract().path("size()");
      for (String url : hostile) {
        admin()
            .body(Map.of("repository_url", url))
            .patch("/pipelines/" + id)
            .then()
            .statusCode(400)
            .body("field", equalTo("repository_url"))
            .body("message", not(containsString("# HELP")))
            .body("message", not(containsString("# TYPE")));
        admin()
            .body(Map.of("name", "ssrf-" + suffix(), "repository_url", url))
            .post("/pipelines")
            .then()
            .statusCode(400)
            .body("field", equalTo("repository_url"));
      }
      assertEquals(0, internal.hits.get(), "refusal must come before any connection");
      admin().get("/pipelines").then().body("size()", equalTo(pipelines));
    }
    admin()
        .get("/pipelines/" + id)
        .then()
        .body("repository_url", equalTo("https://github.com/acme/posture.git"));
  }

  @Test
  void adminMayChangeThePostureWithinTheAllowList() {
    String id = createWithOneRequiredApproval();
    admin()
        .body(
            Map.of(
                "repository_url",
                "git@gitlab.com:acme/posture.git",
                "forge",
                "gitlab",
                "promotion_policy",
                Map.of("required_approvals", 0)))
        .patch("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("repository_url", equalTo("git@gitlab.com:acme/posture.git"))
        .body("promotion_policy.required_approvals", equalTo(0));
  }

  private static String createWithOneRequiredApproval() {
    return admin()
        .body(
            Map.of(
                "name",
                "posture-" + suffix(),
                "repository_url",
                "https://github.com/acme/posture.git",
                "forge_token",
                "ghp_admin-configured-token",
                "promotion_policy",
                Map.of("required_approvals", 1)))
        .post("/pipelines")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static String developer() {
    return TestTokens.issue("developer").token();
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return as(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  private static io.restassured.specification.RequestSpecification as(String token) {
    return given().auth().oauth2(token).contentType(ContentType.JSON).when();
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 6);
  }

  /** A loopback HTTP server that counts every request it receives. */
  private static final class Loopback implements AutoCloseable {
    final AtomicInteger hits = new AtomicInteger();
    private final HttpServer server;

    Loopback() throws java.io.IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    String url() {
      return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}

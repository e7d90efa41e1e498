package dev.slipway.deploy.forge;

import static dev.slipway.testkit.FakeForge.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.pipeline.Forge;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.testkit.FakeForge;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Review apps and staging/production releases appear on the forge as deployments: GitHub's
 * Deployments API and GitLab's environments, checked request by request against a real local HTTP
 * forge.
 */
class ForgeDeploymentPublisherTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String TOKEN = "ghp_TopSecretToken1234567890";
  private static final String REVIEW_URL = "https://shop-pr-42.apps.example.com";

  /**
   * An installation that lets the fake forge's loopback HTTP API receive tokens, as a lab would.
   */
  private static final UrlPolicy OUTBOUND =
      new UrlPolicy(new UrlPolicy.Settings(Set.of("127.0.0.1"), Set.of("127.0.0.1"), true, true));

  private static final UrlPolicy LAB =
      OUTBOUND.forForgeApi(Set.of("127.0.0.1"), Set.of("127.0.0.1"));

  /** The forge hosts deploy-service ships with (slipway.forge.hosts). */
  private static final UrlPolicy SHIPPED =
      OUTBOUND.forForgeApi(Set.of("github.com", "api.github.com", "gitlab.com"), Set.of());

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ForgeDeploymentPublisher publisher(UrlPolicy policy) {
    return new ForgeDeploymentPublisher(
        client, policy, UrlPolicy.Resolver.SYSTEM, Duration.ofSeconds(10));
  }

  private static ForgeDeployment deployment(
      Forge forge, EnvironmentTier tier, String environment, DeploymentState state, String url) {
    String repo =
        forge == Forge.GITLAB ? "https://gitlab.com/acme/shop" : "https://github.com/acme/shop";
    return new ForgeDeployment(
        forge, repo, environment, tier, "feature/cart", SHA, state, url, "Release v3");
  }

  @Test
  void aReviewAppOnGitHubIsATransientDeploymentWhoseStatusLinksTheApp() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(201, "{\"id\": 4242}", Map.of()), status(201));

      boolean accepted =
          publisher(LAB)
              .publish(
                  deployment(
                      Forge.GITHUB,
                      EnvironmentTier.REVIEW,
                      "shop-pr-42",
                      DeploymentState.SUCCESS,
                      REVIEW_URL),
                  TOKEN,
                  forge.baseUri());

      assertTrue(accepted);
      List<FakeForge.Request> requests = forge.requests();
      assertEquals(2, requests.size());
      FakeForge.Request create = requests.get(0);
      assertEquals("POST", create.method());
      assertEquals("/repos/acme/shop/deployments", create.rawPath());
      assertEquals("Bearer " + TOKEN, create.header("Authorization"));
      JsonObject body = new JsonObject(create.body());
      assertEquals(SHA, body.getString("ref"));
      assertEquals("shop-pr-42", body.getString("environment"));
      assertEquals(true, body.getBoolean("transient_environment"));
      assertEquals(false, body.getBoolean("production_environment"));
      assertEquals(false, body.getBoolean("auto_merge"));
      assertEquals(new JsonArray(), body.getJsonArray("required_contexts"));
      FakeForge.Request status = requests.get(1);
      assertEquals("/repos/acme/shop/deployments/4242/statuses", status.rawPath());
      JsonObject state = new JsonObject(status.body());
      assertEquals("success", state.getString("state"));
      assertEquals(REVIEW_URL, state.getString("environment_url"));
      assertEquals(true, state.getBoolean("auto_inactive"));
    }
  }

  @Test
  void aProductionReleaseOnGitHubIsAPermanentProductionDeployment() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(201, "{\"id\": 7}", Map.of()), status(201));

      assertTrue(
          publisher(LAB)
              .publish(
                  deployment(
                      Forge.GITHUB,
                      EnvironmentTier.PRODUCTION,
                      "shop",
                      DeploymentState.SUCCESS,
                      "https://shop.example.com"),
                  TOKEN,
                  forge.baseUri()));

      JsonObject body = new JsonObject(forge.requests().get(0).body());
      assertEquals(false, body.getBoolean("transient_environment"));
      assertEquals(true, body.getBoolean("production_environment"));
    }
  }

  @Test
  void aFailedStagingReleaseOnGitHubIsAFailedDeployment() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(201, "{\"id\": 8}", Map.of()), status(201));

      publisher(LAB)
          .publish(
              deployment(
                  Forge.GITHUB,
                  EnvironmentTier.STAGING,
                  "shop-staging",
                  DeploymentState.FAILURE,
                  null),
              TOKEN,
              forge.baseUri());

      JsonObject body = new JsonObject(forge.requests().get(0).body());
      assertEquals(false, body.getBoolean("transient_environment"));
      assertEquals(false, body.getBoolean("production_environment"));
      JsonObject state = new JsonObject(forge.requests().get(1).body());
      assertEquals("failure", state.getString("state"));
      assertNull(state.getString("environment_url"));
    }
  }

  @Test
  void aDestroyedReviewAppOnGitHubMarksItsLatestDeploymentInactive() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(200, "[{\"id\": 4242}]", Map.of()), status(201));

      assertTrue(
          publisher(LAB)
              .publish(
                  deployment(
                      Forge.GITHUB,
                      EnvironmentTier.REVIEW,
                      "shop-pr-42",
                      DeploymentState.INACTIVE,
                      null),
                  TOKEN,
                  forge.baseUri()));

      List<FakeForge.Request> requests = forge.requests();
      assertEquals("GET", requests.get(0).method());
      assertEquals("/repos/acme/shop/deployments", requests.get(0).rawPath());
      assertEquals("environment=shop-pr-42&per_page=1", requests.get(0).rawQuery());
      assertEquals("/repos/acme/shop/deployments/4242/statuses", requests.get(1).rawPath());
      assertEquals("inactive", new JsonObject(requests.get(1).body()).getString("state"));
    }
  }

  @Test
  void aReviewAppOnGitLabCreatesItsEnvironmentWithTheExternalUrlAndADeployment() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(200, "[]", Map.of()), status(201, "{\"id\": 5}", Map.of()), status(201));

      assertTrue(
          publisher(LAB)
              .publish(
                  deployment(
                      Forge.GITLAB,
                      EnvironmentTier.REVIEW,
                      "shop-pr-42",
                      DeploymentState.SUCCESS,
                      REVIEW_URL),
                  TOKEN,
                  forge.baseUri()));

      List<FakeForge.Request> requests = forge.requests();
      assertEquals(3, requests.size());
      assertEquals("/api/v4/projects/acme%2Fshop/environments", requests.get(0).rawPath());
      assertEquals("name=shop-pr-42", requests.get(0).rawQuery());
      assertEquals(TOKEN, requests.get(0).header("PRIVATE-TOKEN"));
      assertNull(requests.get(0).header("Authorization"));
      assertEquals("POST", requests.get(1).method());
      assertEquals("/api/v4/projects/acme%2Fshop/environments", requests.get(1).rawPath());
      JsonObject environment = new JsonObject(requests.get(1).body());
      assertEquals("shop-pr-42", environment.getString("name"));
      assertEquals(REVIEW_URL, environment.getString("external_url"));
      assertEquals("development", environment.getString("tier"));
      assertEquals("/api/v4/projects/acme%2Fshop/deployments", requests.get(2).rawPath());
      JsonObject deployment = new JsonObject(requests.get(2).body());
      assertEquals("shop-pr-42", deployment.getString("environment"));
      assertEquals(SHA, deployment.getString("sha"));
      assertEquals("feature/cart", deployment.getString("ref"));
      assertEquals("success", deployment.getString("status"));
    }
  }

  @Test
  void aProductionReleaseOnGitLabUpdatesTheExistingEnvironmentsUrl() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(200, "[{\"id\": 9}]", Map.of()), status(200), status(201));

      assertTrue(
          publisher(LAB)
              .publish(
                  deployment(
                      Forge.GITLAB,
                      EnvironmentTier.PRODUCTION,
                      "shop",
                      DeploymentState.SUCCESS,
                      "https://shop.example.com"),
                  TOKEN,
                  forge.baseUri()));

      FakeForge.Request update = forge.requests().get(1);
      assertEquals("PUT", update.method());
      assertEquals("/api/v4/projects/acme%2Fshop/environments/9", update.rawPath());
      JsonObject body = new JsonObject(update.body());
      assertEquals("https://shop.example.com", body.getString("external_url"));
      assertEquals("production", body.getString("tier"));
    }
  }

  @Test
  void aClosedPullRequestsReviewAppOnGitLabStopsItsEnvironment() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(200, "[{\"id\": 5}]", Map.of()), status(200));

      assertTrue(
          publisher(LAB)
              .publish(
                  deployment(
                      Forge.GITLAB,
                      EnvironmentTier.REVIEW,
                      "shop-pr-42",
                      DeploymentState.INACTIVE,
                      null),
                  TOKEN,
                  forge.baseUri()));

      FakeForge.Request stop = forge.requests().get(1);
      assertEquals("POST", stop.method());
      assertEquals("/api/v4/projects/acme%2Fshop/environments/5/stop", stop.rawPath());
    }
  }

  @Test
  void theTokenIsNeverSentToAnApiHostOffTheForgeAllowList() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      boolean accepted =
          publisher(SHIPPED)
              .publish(
                  deployment(
                      Forge.GITHUB,
                      EnvironmentTier.REVIEW,
                      "shop-pr-42",
                      DeploymentState.SUCCESS,
                      REVIEW_URL),
                  TOKEN,
                  forge.baseUri());

      assertFalse(accepted);
      assertEquals(List.of(), forge.requests());
    }
  }

  @Test
  void aDeploymentTheForgeRefusesGetsNoStatus() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      forge.replies(status(422, "{\"message\": \"No ref found for: " + SHA + "\"}", Map.of()));

      boolean accepted =
          publisher(LAB)
              .publish(
                  deployment(
                      Forge.GITHUB,
                      EnvironmentTier.STAGING,
                      "shop-staging",
                      DeploymentState.SUCCESS,
                      null),
                  TOKEN,
                  forge.baseUri());

      assertFalse(accepted);
      assertEquals(1, forge.requests().size());
    }
  }

  @Test
  void aGenericForgeHasNoDeploymentsApiAndNothingIsSent() throws Exception {
    try (FakeForge forge = new FakeForge()) {
      assertFalse(
          publisher(LAB)
              .publish(
                  new ForgeDeployment(
                      Forge.GENERIC,
                      "https://git.example.com/acme/shop.git",
                      "shop-staging",
                      EnvironmentTier.STAGING,
                      "main",
                      SHA,
                      DeploymentState.SUCCESS,
                      null,
                      null),
                  TOKEN,
                  forge.baseUri()));

      assertEquals(List.of(), forge.requests());
    }
  }
}

package dev.slipway.deploy;

import static dev.slipway.deploy.DeployFixtures.build;
import static dev.slipway.deploy.DeployFixtures.pipelineOnForge;
import static dev.slipway.deploy.DeployFixtures.pullRequest;
import static dev.slipway.deploy.DeployFixtures.slug;
import static dev.slipway.deploy.DeployFixtures.suffix;
import static dev.slipway.testkit.FakeForge.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.deploy.reviewapps.ReviewApps;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.events.EventType;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.testkit.FakeForge;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pull request on GitHub shows its review app: deploy-service reports it as a transient GitHub
 * deployment linking the app, and marks it inactive when the pull request closes (a real local HTTP
 * forge stands in for api.github.com).
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
@QuarkusTestResource(ForgeApiStandIn.class)
class ForgeDeploymentFlowTest {

  private static final String TOKEN = "ghp_ReviewAppsDeploymentToken0042";
  private static FakeForge forge;

  @Inject AppRuntime runtime;

  @BeforeAll
  static void serveTheForge() throws Exception {
    forge = new FakeForge(ForgeApiStandIn.port());
  }

  @AfterAll
  static void closeTheForge() {
    forge.close();
  }

  @Test
  void aReviewAppIsATransientGitHubDeploymentLinkingTheAppUntilThePullRequestCloses() {
    String name = "gh" + suffix();
    String pipeline =
        pipelineOnForge(
            Forge.GITHUB,
            name,
            name + "-staging",
            name + "-prod",
            "https://github.com/acme/" + name,
            TOKEN);
    String app = ReviewApps.appName(name, 9);
    forge.replies(
        status(201, "{\"id\": 31}", Map.of()),
        status(201),
        status(200, "[{\"id\": 31}]", Map.of()),
        status(201));

    pullRequest(EventType.CHANGE_CREATED, pipeline, 9, "feature/y", false);
    build(pipeline, slug("v1", null), UUID.randomUUID().toString(), 9);

    List<FakeForge.Request> deployed = awaitRequests("/repos/acme/" + name + "/", 2);
    FakeForge.Request create = deployed.get(0);
    assertEquals("/repos/acme/" + name + "/deployments", create.rawPath());
    assertEquals("Bearer " + TOKEN, create.header("Authorization"));
    JsonObject deployment = new JsonObject(create.body());
    assertEquals(app, deployment.getString("environment"));
    assertEquals(true, deployment.getBoolean("transient_environment"));
    assertEquals(false, deployment.getBoolean("production_environment"));
    assertTrue(deployment.getString("ref").matches("[0-9a-f]{40}"), deployment::encode);
    assertEquals("/repos/acme/" + name + "/deployments/31/statuses", deployed.get(1).rawPath());
    JsonObject success = new JsonObject(deployed.get(1).body());
    assertEquals("success", success.getString("state"));
    assertEquals(
        runtime.url(app).map(URI::toString).orElseThrow(), success.getString("environment_url"));
    assertEquals(true, success.getBoolean("auto_inactive"));

    pullRequest(EventType.CHANGE_ABANDONED, pipeline, 9, "feature/y", false);

    List<FakeForge.Request> closed = awaitRequests("/repos/acme/" + name + "/", 4);
    assertEquals("GET", closed.get(2).method());
    assertEquals("environment=" + app + "&per_page=1", closed.get(2).rawQuery());
    assertEquals("/repos/acme/" + name + "/deployments/31/statuses", closed.get(3).rawPath());
    assertEquals("inactive", new JsonObject(closed.get(3).body()).getString("state"));
  }

  @Test
  void aReviewAppIsAGitLabEnvironmentWithItsUrlStoppedWhenTheMergeRequestCloses() {
    String name = "gl" + suffix();
    String pipeline =
        pipelineOnForge(
            Forge.GITLAB,
            name,
            name + "-staging",
            name + "-prod",
            "https://gitlab.com/acme/" + name,
            TOKEN);
    String app = ReviewApps.appName(name, 4);
    String project = "/api/v4/projects/acme%2F" + name;
    forge.replies(
        status(200, "[]", Map.of()),
        status(201, "{\"id\": 12}", Map.of()),
        status(201),
        status(200, "[{\"id\": 12}]", Map.of()),
        status(200));

    pullRequest(EventType.CHANGE_CREATED, pipeline, 4, "feature/z", false);
    build(pipeline, slug("v1", null), UUID.randomUUID().toString(), 4);

    List<FakeForge.Request> deployed = awaitRequests(project + "/", 3);
    assertEquals("name=" + app, deployed.get(0).rawQuery());
    assertEquals(TOKEN, deployed.get(0).header("PRIVATE-TOKEN"));
    assertEquals(project + "/environments", deployed.get(1).rawPath());
    JsonObject environment = new JsonObject(deployed.get(1).body());
    assertEquals(app, environment.getString("name"));
    assertEquals(
        runtime.url(app).map(URI::toString).orElseThrow(), environment.getString("external_url"));
    assertEquals("development", environment.getString("tier"));
    assertEquals(project + "/deployments", deployed.get(2).rawPath());
    assertEquals("success", new JsonObject(deployed.get(2).body()).getString("status"));

    pullRequest(EventType.CHANGE_ABANDONED, pipeline, 4, "feature/z", false);

    List<FakeForge.Request> closed = awaitRequests(project + "/", 5);
    assertEquals("POST", closed.get(4).method());
    assertEquals(project + "/environments/12/stop", closed.get(4).rawPath());
  }

  /** The first {@code count} requests under {@code prefix}, once the forge has had them. */
  private static List<FakeForge.Request> awaitRequests(String prefix, int count) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> forge.requests().stream().filter(r -> r.rawPath().startsWith(prefix)).toList(),
            r -> r.size() >= count);
  }
}

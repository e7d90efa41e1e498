package dev.slipway.build;

import static dev.slipway.build.Forges.github;
import static dev.slipway.build.Forges.githubPush;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.build.builds.Build;
import dev.slipway.build.builds.BuildPhase;
import dev.slipway.build.builds.Builds;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.Topic;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.platform.instances.Abandonment;
import dev.slipway.platform.instances.OwnerRecord;
import dev.slipway.platform.instances.ServiceInstances;
import dev.slipway.testkit.GitFixture;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestTokens;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The queue itself, with no worker taking builds: manual builds, newer pushes superseding queued
 * ones, cancelling a queued build, and what a restart does to builds left running.
 */
@QuarkusTest
@TestProfile(WorkersOffProfile.class)
@QuarkusTestResource(SlipwayInfrastructure.class)
class BuildQueueTest {

  private static final String SECRET = "queue-webhook-secret";
  private static GitFixture repo;
  private static String first;
  private static String second;

  @Inject Builds builds;
  @Inject ServiceInstances instances;

  @BeforeAll
  static void repository() throws Exception {
    Path app = Files.createTempDirectory("queue-app");
    Files.writeString(app.resolve("README.md"), "v1\n");
    repo = GitFixture.withApp(app);
    first = repo.write("README.md", "v2\n").commitAndPush("second");
    second = repo.write("README.md", "v3\n").commitAndPush("third");
  }

  @AfterAll
  static void cleanUp() {
    repo.close();
  }

  @Test
  void developerBuildsABranchByHandAndAViewerMayNot() {
    String pipeline = Forges.registerPipeline("manual-" + suffix(), repo.url(), "main", SECRET);
    String developer = TestTokens.issue("developer").token();
    String viewer = TestTokens.issue("viewer").token();

    given()
        .auth()
        .oauth2(viewer)
        .contentType("application/json")
        .body("{\"pipeline\": \"" + pipeline + "\"}")
        .post("/builds")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(developer)
        .contentType("application/json")
        .body("{\"pipeline\": \"" + pipeline + "\", \"ref\": \"main\"}")
        .post("/builds")
        .then()
        .statusCode(202)
        .body("commit_sha", equalTo(second))
        .body("trigger", equalTo("manual"))
        .body("status", equalTo("queued"));
    given()
        .auth()
        .oauth2(developer)
        .contentType("application/json")
        .body("{\"pipeline\": \"" + pipeline + "\", \"ref\": \"no-such-branch\"}")
        .post("/builds")
        .then()
        .statusCode(422)
        .body("field", equalTo("ref"))
        .body("message", containsString("no branch or tag no-such-branch"));
    given()
        .auth()
        .oauth2(developer)
        .contentType("application/json")
        .body("{\"ref\": \"main\"}")
        .post("/builds")
        .then()
        .statusCode(400)
        .body("field", equalTo("pipeline"));

    admin().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(1));
  }

  @Test
  void newerPushCancelsTheQueuedBuildOfTheSameBranch() {
    String name = "supersede-" + suffix();
    String pipeline = Forges.registerPipeline(name, repo.url(), "main", SECRET);
    String older = push(pipeline, first);
    String newer = push(pipeline, second);

    admin()
        .get("/builds/" + older)
        .then()
        .body("status", equalTo("cancelled"))
        .body("error", containsString("superseded by a newer push (build " + newer + ")"));
    admin().get("/builds/" + newer).then().body("status", equalTo("queued"));
    admin()
        .get("/builds?pipeline=" + pipeline + "&status=queued")
        .then()
        .body("size()", equalTo(1))
        .body("[0].id", equalTo(newer));
    // The pipeline's name lists the same builds as its id, as the CLI's --pipeline accepts both.
    admin()
        .get("/builds?pipeline=" + name)
        .then()
        .statusCode(200)
        .body("id", containsInAnyOrder(newer, older));
    admin()
        .get("/builds?pipeline=no-such-pipeline")
        .then()
        .statusCode(404)
        .body("message", containsString("pipeline"));
    admin().get("/builds?status=sideways").then().statusCode(400).body("field", equalTo("status"));
  }

  @Test
  void cancellingAQueuedBuildEndsItAtOnce() {
    String pipeline = Forges.registerPipeline("cancelq-" + suffix(), repo.url(), "main", SECRET);
    String build = push(pipeline, second);

    admin()
        .post("/builds/" + build + "/cancel")
        .then()
        .statusCode(202)
        .body("status", equalTo("cancelled"));

    assertEquals(BuildStatus.CANCELLED, finished(pipeline).status());
    admin().post("/builds/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
  }

  @Test
  void sweepErrorsTheBuildOfAGoneInstanceAndLeavesALiveInstancesBuildRunning() throws Throwable {
    String pipeline = Forges.registerPipeline("restart-" + suffix(), repo.url(), "main", SECRET);
    UUID gone = UUID.randomUUID();
    // The live owner is this running service itself: its own periodic sweeps leave it alone too.
    UUID live = instances.id();
    String goneBuild = claim(push(pipeline, second), gone);
    String liveBuild = claim(push(pipeline, first), live);
    Instant now = Instant.now();
    Abandonment seenByAnotherReplica =
        new Abandonment(
            UUID.randomUUID(),
            "replica-c",
            now,
            Duration.ofMinutes(1),
            Map.of(
                gone, new OwnerRecord(gone, "replica-a", now.minus(Duration.ofMinutes(5))),
                live, new OwnerRecord(live, instances.name(), now.minusSeconds(5))));

    VertxContextSupport.subscribeAndAwait(() -> builds.errorAbandoned(seenByAnotherReplica));

    admin()
        .get("/builds/" + goneBuild)
        .then()
        .body("status", equalTo("errored"))
        .body("error", containsString("stopped while this build was running"));
    assertEquals(BuildStatus.ERRORED, finished(pipeline).status());
    admin().get("/builds/" + liveBuild).then().body("status", equalTo("running"));
  }

  /** Has a worker of incarnation {@code owner} claim queued builds until it holds {@code build}. */
  private String claim(String build, UUID owner) throws Throwable {
    Build claimed;
    do {
      claimed = VertxContextSupport.subscribeAndAwait(() -> builds.claimNext(owner)).orElseThrow();
    } while (!claimed.id().toString().equals(build));
    assertEquals(BuildPhase.RUNNING, claimed.phase());
    return build;
  }

  private static String push(String pipeline, String sha) {
    return github(
            pipeline,
            "push",
            githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha),
            SECRET,
            UUID.randomUUID().toString())
        .then()
        .statusCode(202)
        .extract()
        .path("build_id");
  }

  private static BuildFinished finished(String pipeline) {
    List<CloudEvent> events =
        TopicProbe.findAll(
                SlipwayInfrastructure.get().bootstrapServers(),
                Topic.BUILDS.topicName(),
                pipeline,
                2,
                Duration.ofSeconds(30))
            .stream()
            .map(TopicProbe::cloudEvent)
            .filter(e -> e.type().equals(EventType.BUILD_FINISHED.type()))
            .toList();
    return EventCodec.decode(events.get(events.size() - 1), BuildFinished.class);
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

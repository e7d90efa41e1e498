package dev.slipway.build;

import static dev.slipway.build.Forges.github;
import static dev.slipway.build.Forges.githubPullRequest;
import static dev.slipway.build.Forges.githubPush;
import static dev.slipway.build.Forges.gitlab;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.Topic;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.testkit.GitFixture;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook intake as a forge sees it: signed deliveries of real payload shapes become exactly one
 * change and one build; anything unsigned, unknown, malformed or oversized changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class WebhookIntakeTest {

  private static final String SECRET = "it-is-a-webhook-secret";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static GitFixture repo;
  private static String sha;

  @BeforeAll
  static void repository() throws Exception {
    Path app = Files.createTempDirectory("plain-app");
    Files.writeString(app.resolve("README.md"), "nothing to build here\n");
    repo = GitFixture.withApp(app);
    sha = repo.commitAndPush("empty commit is fine");
  }

  @AfterAll
  static void cleanUp() {
    repo.close();
  }

  @Inject KafkaClientService kafka;

  @Test
  void signedPushQueuesOneBuildAndItsRedeliveryNone() {
    String pipeline = Forges.registerPipeline("intake-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode push = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    String delivery = UUID.randomUUID().toString();

    String buildId =
        github(pipeline, "push", push, SECRET, delivery)
            .then()
            .statusCode(202)
            .body("result", equalTo("build_queued"))
            .body("build_id", notNullValue())
            .extract()
            .path("build_id");
    github(pipeline, "push", push, SECRET, delivery)
        .then()
        .statusCode(200)
        .body("result", equalTo("duplicate"));

    viewer().get("/builds?pipeline=" + pipeline).then().statusCode(200).body("size()", equalTo(1));
    viewer()
        .get("/builds/" + buildId)
        .then()
        .body("commit_sha", equalTo(sha))
        .body("branch", equalTo("main"))
        .body("trigger", equalTo("push"));
    CloudEvent pushed = event(Topic.CHANGES, pipeline, 1).get(0);
    assertEquals(EventType.CHANGE_PUSHED.type(), pushed.type());
    SchemaValidation.assertValid(pushed);
    CloudEvent queued = event(Topic.BUILDS, pipeline, 1).get(0);
    assertEquals(EventType.BUILD_QUEUED.type(), queued.type());
    SchemaValidation.assertValid(queued);
    assertEquals(sha, EventCodec.decode(queued, BuildQueued.class).commitSha());
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        metrics.contains("slipway_webhook_deliveries_total{forge=\"github\",result=\"duplicate\"}"),
        "deliveries are counted by result");
    assertTrue(metrics.contains("slipway_builds_queued"), "the queue length is exported");
  }

  @Test
  void formEncodedGitHubDeliveryQueuesABuildLikeAJsonOne() {
    String pipeline = Forges.registerPipeline("form-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode push = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    // GitHub's "application/x-www-form-urlencoded" content type: the JSON in a payload field,
    // signed as sent.
    String buildId =
        postForm(pipeline, Forges.form(push))
            .then()
            .statusCode(202)
            .extract()
            .jsonPath()
            .getString("build_id");
    viewer().get("/builds/" + buildId).then().body("commit_sha", equalTo(sha));

    postForm(pipeline, "hook=1".getBytes(StandardCharsets.UTF_8))
        .then()
        .statusCode(400)
        .body("field", equalTo("payload"));
    viewer().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(1));
  }

  private static Response postForm(String pipeline, byte[] form) {
    return Forges.githubDelivery(
        pipeline,
        "application/x-www-form-urlencoded",
        "push",
        UUID.randomUUID().toString(),
        form,
        SECRET);
  }

  @Test
  void theSameSignedBodyUnderANewDeliveryIdIsADuplicateAndQueuesNothing() {
    String pipeline = Forges.registerPipeline("replay-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode push = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    String first = UUID.randomUUID().toString();

    github(pipeline, "push", push, SECRET, first).then().statusCode(202);
    github(pipeline, "push", push, SECRET, UUID.randomUUID().toString())
        .then()
        .statusCode(200)
        .body("result", equalTo("duplicate"))
        .body("reason", containsString(first));

    viewer().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(1));
  }

  @Test
  void aDeliveryIdSeenByOnePipelineIsStillNewToAnotherFollowingTheSameRepository() {
    String one = Forges.registerPipeline("one-" + suffix(), repo.url(), "main", SECRET);
    String other = Forges.registerPipeline("other-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode push = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    String delivery = UUID.randomUUID().toString();

    github(one, "push", push, SECRET, delivery).then().statusCode(202);
    github(other, "push", push, SECRET, delivery)
        .then()
        .statusCode(202)
        .body("result", equalTo("build_queued"));

    viewer().get("/builds?pipeline=" + other).then().body("size()", equalTo(1));
  }

  @Test
  void aSignedBodyNested3000LevelsDeepIs400NotAServerError() {
    String pipeline = Forges.registerPipeline("nested-" + suffix(), repo.url(), "main", SECRET);
    byte[] nested =
        ("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)).getBytes(StandardCharsets.UTF_8);

    Forges.githubDelivery(
            pipeline, "application/json", "push", UUID.randomUUID().toString(), nested, SECRET)
        .then()
        .statusCode(400)
        .body("field", equalTo("(body)"))
        .body("message", containsString("nested"));
  }

  @Test
  void badOrMissingSignatureIsRefusedAndRecordsNothing() {
    String pipeline = Forges.registerPipeline("unsigned-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode push = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    String delivery = UUID.randomUUID().toString();

    github(pipeline, "push", push, "not-the-secret-at-all", delivery)
        .then()
        .statusCode(401)
        .body("message", containsString("signature"));
    github(pipeline, "push", push, null, delivery).then().statusCode(401);
    gitlab(pipeline, "Push Hook", Forges.fixture("gitlab/push.json"), "wrong", delivery)
        .then()
        .statusCode(401);

    viewer().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(0));
    // The refused delivery id was not remembered: the genuine delivery is still new.
    github(pipeline, "push", push, SECRET, delivery)
        .then()
        .statusCode(202)
        .body("result", equalTo("build_queued"));
  }

  @Test
  void tagsAndUnfollowedBranchesAreAcknowledgedWithTheReasonAndNotBuilt() {
    String pipeline = Forges.registerPipeline("ignore-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode tag = Forges.fixture("github/push-tag-deleted.json");
    ((ObjectNode) tag.get("repository")).put("clone_url", repo.url());

    github(pipeline, "push", tag, SECRET, UUID.randomUUID().toString())
        .then()
        .statusCode(202)
        .body("result", equalTo("ignored"))
        .body("reason", containsString("tag"));
    github(
            pipeline,
            "push",
            githubPush(repo.url(), "refs/heads/experiment", Forges.ZEROS, sha),
            SECRET,
            UUID.randomUUID().toString())
        .then()
        .statusCode(202)
        .body("result", equalTo("ignored"))
        .body("reason", containsString("experiment is not followed"));

    viewer().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(0));
  }

  @Test
  void malformedOrIncompletePayloadsAre400NamingTheField() {
    String pipeline = Forges.registerPipeline("malformed-" + suffix(), repo.url(), "main", SECRET);
    byte[] notJson = "{\"ref\": ".getBytes(StandardCharsets.UTF_8);
    Forges.githubDelivery(
            pipeline, "application/json", "push", UUID.randomUUID().toString(), notJson, SECRET)
        .then()
        .statusCode(400)
        .body("field", equalTo("(body)"))
        .body("message", containsString("not valid JSON"));
    ObjectNode noAfter = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    noAfter.remove("after");

    github(pipeline, "push", noAfter, SECRET, UUID.randomUUID().toString())
        .then()
        .statusCode(400)
        .body("field", equalTo("after"))
        .body("message", equalTo("after: is missing"));

    viewer().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(0));
  }

  @Test
  void unknownPipelineOrRepositoryIs404AndOversizedBodyIs413() {
    String pipeline = Forges.registerPipeline("unknown-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode push = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);

    github("no-such-pipeline", "push", push, SECRET, UUID.randomUUID().toString())
        .then()
        .statusCode(404);
    github(
            pipeline,
            "push",
            githubPush("https://github.com/someone/else.git", "refs/heads/main", Forges.ZEROS, sha),
            SECRET,
            UUID.randomUUID().toString())
        .then()
        .statusCode(404)
        .body("message", containsString("is not built by pipeline"));
    push.put("padding", "x".repeat(5 * 1024 * 1024 + 1));
    github(pipeline, "push", push, SECRET, UUID.randomUUID().toString()).then().statusCode(413);

    viewer().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(0));
  }

  @Test
  void deliveryForAPipelineNotReadYetAnswers503WithRetryAfterInsteadOf404() {
    KafkaConsumer<Object, Object> consumer = kafka.getConsumer("pipelines");
    ObjectNode push = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    String pipeline;
    consumer.pause().await().atMost(Duration.ofSeconds(10));
    try {
      // Created a moment ago: build-service has not read the event yet.
      pipeline = Forges.publishPipeline("late-" + suffix(), repo.url(), "main", SECRET);
      github(pipeline, "push", push, SECRET, UUID.randomUUID().toString())
          .then()
          .statusCode(503)
          .header("Retry-After", "2")
          .body("message", containsString("retry"));
    } finally {
      consumer.resume().await().atMost(Duration.ofSeconds(10));
    }
    String known = pipeline;
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                github(known, "push", push, SECRET, UUID.randomUUID().toString()).statusCode()
                    == 202);
  }

  @Test
  void deliveryForAPipelineWithoutWebhookSecretSaysSoAndHowToSetOne() {
    String name = "nosecret-" + suffix();
    String pipeline = Forges.registerPipeline(name, repo.url(), "main", null);
    github(
            pipeline,
            "push",
            githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha),
            SECRET,
            UUID.randomUUID().toString())
        .then()
        .statusCode(401)
        .body("message", containsString("this pipeline has no webhook secret"))
        .body("message", containsString("slipway pipelines:update " + name + " --webhook-secret"));
    viewer().get("/builds?pipeline=" + pipeline).then().body("size()", equalTo(0));
  }

  @Test
  void forkPullRequestIsMarkedForkOnEveryEventItCauses() {
    String pipeline = Forges.registerPipeline("fork-" + suffix(), repo.url(), "main", SECRET);

    github(
            pipeline,
            "pull_request",
            githubPullRequest("opened", repo.url(), 7, "feature/x", sha, true),
            SECRET,
            UUID.randomUUID().toString())
        .then()
        .statusCode(202)
        .body("result", equalTo("build_queued"));

    CloudEvent change = event(Topic.CHANGES, pipeline, 1).get(0);
    assertEquals(EventType.CHANGE_CREATED.type(), change.type());
    PullRequestChange pr = EventCodec.decode(change, PullRequestChange.class);
    assertTrue(pr.fork());
    assertEquals(7, pr.number());
    BuildQueued queued =
        EventCodec.decode(event(Topic.BUILDS, pipeline, 1).get(0), BuildQueued.class);
    assertTrue(queued.fork());
    assertEquals(7, queued.prNumber());
    viewer()
        .get("/builds?pipeline=" + pipeline)
        .then()
        .body("[0].fork", equalTo(true))
        .body("[0].pr_number", equalTo(7));
  }

  @Test
  void gitlabPushWithTheTokenQueuesABuild() {
    String pipeline = Forges.registerPipeline("gitlab-" + suffix(), repo.url(), "main", SECRET);
    ObjectNode push = Forges.fixture("gitlab/push.json");
    push.put("ref", "refs/heads/main").put("after", sha).put("checkout_sha", sha);
    ((ObjectNode) push.get("project")).put("git_http_url", repo.url());

    gitlab(pipeline, "Push Hook", push, SECRET, UUID.randomUUID().toString())
        .then()
        .statusCode(202)
        .body("result", equalTo("build_queued"));

    viewer()
        .get("/builds?pipeline=" + pipeline)
        .then()
        .body("size()", equalTo(1))
        .body("[0].commit_sha", equalTo(sha));
  }

  private static List<CloudEvent> event(Topic topic, String pipeline, int count) {
    List<ConsumerRecord<String, byte[]>> records =
        TopicProbe.findAll(
            SlipwayInfrastructure.get().bootstrapServers(),
            topic.topicName(),
            pipeline,
            count,
            PATIENCE);
    return records.stream().map(TopicProbe::cloudEvent).toList();
  }

  private static io.restassured.specification.RequestSpecification viewer() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.slipway.build;

import static dev.slipway.build.Forges.github;
import static dev.slipway.build.Forges.githubPush;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.testkit.GitFixture;
import dev.slipway.testkit.HostileInput;
import dev.slipway.testkit.HostileInput.Case;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build-service's hostile-input catalogue: webhooks (signatures, replays, malformed and deeply
 * nested bodies, GitHub's form-encoded {@code payload} field), {@code GET /builds} filters and
 * {@code POST /builds}. Each is refused with the field named and changes no row and publishes no
 * event; none is ever a 500. Workers are off, so nothing moves underneath.
 */
@QuarkusTest
@TestProfile(WorkersOffProfile.class)
@QuarkusTestResource(SlipwayInfrastructure.class)
class HostileInputTest {

  private static final String SECRET = "hostile-input-webhook-secret";
  private static final String FORM = "application/x-www-form-urlencoded";

  private static GitFixture repo;
  private static String sha;
  private static String pipeline;
  private static ObjectNode acceptedPush;
  private static String acceptedDelivery;

  @BeforeAll
  static void pipelineWithOneAcceptedPush() throws Exception {
    Path app = Files.createTempDirectory("hostile-app");
    Files.writeString(app.resolve("README.md"), "hostile\n");
    repo = GitFixture.withApp(app);
    sha = repo.commitAndPush("hostile input");
  }

  @AfterAll
  static void cleanUp() {
    repo.close();
  }

  private static synchronized void ensurePipeline() {
    if (pipeline != null) {
      return;
    }
    pipeline =
        Forges.registerPipeline(
            "hostile-" + UUID.randomUUID().toString().substring(0, 8), repo.url(), "main", SECRET);
    acceptedPush = githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha);
    acceptedDelivery = UUID.randomUUID().toString();
    github(pipeline, "push", acceptedPush, SECRET, acceptedDelivery)
        .then()
        .statusCode(202)
        .body("result", equalTo("build_queued"));
  }

  private static Map<String, Long> state() {
    return HostileInput.counts(
        List.of(
            "select count(*) from build_service.build where pipeline_id = ?::uuid",
            "select count(*) from build_service.webhook_delivery where pipeline_id = ?::uuid",
            "select count(*) from build_service.outbox_event where event_key = ?"),
        pipeline);
  }

  private static List<Case> catalogue() {
    ensurePipeline();
    String fresh = "-" + UUID.randomUUID();
    ObjectNode noAfter = acceptedPush.deepCopy();
    noAfter.remove("after");
    ObjectNode badSha = acceptedPush.deepCopy().put("after", "$(reboot)");
    ObjectNode otherRepo =
        githubPush("https://github.com/someone/else.git", "refs/heads/main", Forges.ZEROS, sha);
    ObjectNode huge = acceptedPush.deepCopy().put("padding", "x".repeat(5 * 1024 * 1024 + 1));
    String nested = "[".repeat(3000) + "]".repeat(3000);
    String nestedObject = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
    return List.of(
        new Case(
            "wrong signature",
            401,
            null,
            () -> github(pipeline, "push", acceptedPush, "not-the-secret", "a" + fresh)),
        new Case(
            "unsigned", 401, null, () -> github(pipeline, "push", acceptedPush, null, "b" + fresh)),
        new Case(
            "wrong GitLab token",
            401,
            null,
            () ->
                Forges.gitlab(
                    pipeline,
                    "Push Hook",
                    Forges.fixture("gitlab/push.json"),
                    "wrong",
                    "c" + fresh)),
        new Case(
            "same delivery id again",
            200,
            null,
            () -> github(pipeline, "push", acceptedPush, SECRET, acceptedDelivery)),
        new Case(
            "same signed body, new delivery id",
            200,
            null,
            () -> github(pipeline, "push", acceptedPush, SECRET, "d" + fresh)),
        new Case(
            "missing delivery id",
            400,
            "X-GitHub-Delivery",
            () -> raw(pipeline, "push", null, bytes(acceptedPush.toString()))),
        new Case(
            "missing event header",
            400,
            "X-GitHub-Event",
            () -> raw(pipeline, null, "e" + fresh, bytes(acceptedPush.toString()))),
        new Case(
            "not JSON",
            400,
            "(body)",
            () -> raw(pipeline, "push", "f" + fresh, bytes("{\"ref\": "))),
        new Case(
            "JSON but not an object",
            400,
            "(body)",
            () -> raw(pipeline, "push", "g" + fresh, bytes("[1, 2, 3]"))),
        new Case(
            "array nested 3000 deep",
            400,
            "(body)",
            () -> raw(pipeline, "push", "h" + fresh, bytes(nested))),
        new Case(
            "object nested 3000 deep",
            400,
            "(body)",
            () -> raw(pipeline, "push", "i" + fresh, bytes(nestedObject))),
        new Case(
            "push without after",
            400,
            "after",
            () -> github(pipeline, "push", noAfter, SECRET, "j" + fresh)),
        new Case(
            "after is a shell command",
            400,
            "after",
            () -> github(pipeline, "push", badSha, SECRET, "k" + fresh)),
        new Case(
            "repository not the pipeline's",
            404,
            null,
            () -> github(pipeline, "push", otherRepo, SECRET, "l" + fresh)),
        new Case(
            "unknown pipeline",
            404,
            null,
            () -> github("no-such-pipeline", "push", acceptedPush, SECRET, "m" + fresh)),
        new Case(
            "body above the limit",
            413,
            null,
            () -> github(pipeline, "push", huge, SECRET, "n" + fresh)),
        new Case(
            "pull request number 0",
            400,
            "number",
            () -> github(pipeline, "pull_request", pullRequest(0), SECRET, "w" + fresh)),
        new Case(
            "pull request number a word",
            400,
            "number",
            () ->
                github(
                    pipeline,
                    "pull_request",
                    pullRequest(1).put("number", "five"),
                    SECRET,
                    "x" + fresh)),
        new Case(
            "GitLab push without after",
            400,
            "after",
            () -> {
              ObjectNode push = Forges.fixture("gitlab/push.json");
              push.remove("after");
              return Forges.gitlab(pipeline, "Push Hook", push, SECRET, "y" + fresh);
            }),
        new Case(
            "GitLab delivery without its event UUID",
            400,
            "X-Gitlab-Event-UUID",
            () ->
                given()
                    .contentType("application/json")
                    .header("X-Gitlab-Event", "Push Hook")
                    .header("X-Gitlab-Token", SECRET)
                    .body(Forges.fixture("gitlab/push.json").toString())
                    .post("/webhooks/gitlab/" + pipeline)),
        new Case(
            "form-encoded delivery without a payload field",
            400,
            "payload",
            () -> form(bytes("hook_id=1&zen=hello"), "o" + fresh)),
        new Case(
            "form-encoded payload field not form encoding",
            400,
            "payload",
            () -> form(bytes("payload=%7B%ZZ"), "p" + fresh)),
        new Case(
            "form-encoded payload field not JSON",
            400,
            "(body)",
            () -> form(bytes("payload=not-json"), "q" + fresh)),
        new Case(
            "form-encoded payload field empty",
            400,
            "(body)",
            () -> form(bytes("payload="), "r" + fresh)),
        new Case(
            "form-encoded payload nested 3000 deep",
            400,
            "(body)",
            () -> form(bytes("payload=" + nestedObject), "s" + fresh)),
        new Case(
            "form-encoded push without after",
            400,
            "after",
            () -> form(Forges.form(noAfter), "t" + fresh)),
        new Case(
            "form-encoded delivery, wrong signature",
            401,
            null,
            () ->
                Forges.githubDelivery(
                    pipeline, FORM, "push", "u" + fresh, Forges.form(acceptedPush), "wrong")),
        listBuilds("builds of an unknown pipeline name", 404, "pipeline", "no-such-pipeline"),
        listBuilds("builds of an unknown pipeline id", 404, "pipeline", UUID.randomUUID()),
        listBuilds("builds of a pipeline path traversal", 404, "pipeline", "../../etc/passwd"),
        listBuilds("builds of a pipeline 300 characters long", 404, "pipeline", "p".repeat(300)),
        // Above the HTTP server's 4 KiB request line: refused before any code of ours runs.
        listBuilds("builds of a pipeline 10,000 characters long", 414, null, "p".repeat(10_000)),
        listBuilds("builds of a pipeline with a NUL byte", 404, "pipeline", "shop\u0000x"),
        listBuilds("builds of a pipeline with a newline", 404, "pipeline", "shop\nx"),
        listBuilds("builds of a pipeline SQL-quoted", 404, "pipeline", "x' or '1'='1"),
        new Case(
            "builds of a branch with a NUL byte",
            400,
            "branch",
            () -> admin().queryParam("branch", "main\u0000").get("/builds")),
        new Case(
            "builds of a branch path traversal",
            400,
            "branch",
            () -> admin().queryParam("branch", "../../etc").get("/builds")),
        new Case(
            "builds of an unknown status",
            400,
            "status",
            () -> admin().queryParam("status", "done").get("/builds")),
        new Case("builds page 0", 400, null, () -> admin().queryParam("page", 0).get("/builds")),
        new Case(
            "builds per_page 501",
            400,
            null,
            () -> admin().queryParam("per_page", 501).get("/builds")),
        HostileInput.path("a build id not a UUID", 404, null, "GET", "/builds/..%2F..%2Fetc"),
        HostileInput.path("the log of a build id not a UUID", 404, null, "GET", "/builds/x/log"),
        HostileInput.path(
            "cancelling a build id not a UUID", 404, null, "POST", "/builds/$(reboot)/cancel"),
        HostileInput.path(
            "a source bundle digest path traversal",
            400,
            "digest",
            "GET",
            "/source-bundles/..%2F..%2Fetc"),
        HostileInput.path(
            "a source bundle digest not hex",
            400,
            "digest",
            "GET",
            "/source-bundles/sha256:" + "z".repeat(64)),
        new Case(
            "a webhook for a pipeline named with a NUL byte",
            404,
            null,
            () ->
                given()
                    .urlEncodingEnabled(false)
                    .contentType("application/json")
                    .header("X-GitHub-Event", "push")
                    .header("X-GitHub-Delivery", "v" + fresh)
                    .body(acceptedPush.toString())
                    .post("/webhooks/github/a%00b")),
        new Case(
            "build of a pipeline named with a NUL byte",
            404,
            "pipeline",
            () ->
                admin()
                    .contentType("application/json")
                    .body("{\"pipeline\": \"a\\u0000b\"}")
                    .post("/builds")),
        new Case(
            "build ref 300 characters",
            400,
            "ref",
            () ->
                admin()
                    .contentType("application/json")
                    .body(
                        "{\"pipeline\": \""
                            + pipeline
                            + "\", \"ref\": \""
                            + "r".repeat(300)
                            + "\"}")
                    .post("/builds")),
        new Case(
            "build without pipeline",
            400,
            "pipeline",
            () ->
                admin()
                    .contentType("application/json")
                    .body("{\"ref\": \"main\"}")
                    .post("/builds")),
        new Case(
            "build ref with shell characters",
            400,
            "ref",
            () ->
                admin()
                    .contentType("application/json")
                    .body("{\"pipeline\": \"" + pipeline + "\", \"ref\": \"main;reboot\"}")
                    .post("/builds")),
        new Case(
            "build ref .hidden",
            400,
            "ref",
            () ->
                admin()
                    .contentType("application/json")
                    .body("{\"pipeline\": \"" + pipeline + "\", \"ref\": \".hidden\"}")
                    .post("/builds")),
        new Case(
            "build ref with ..",
            400,
            "ref",
            () ->
                admin()
                    .contentType("application/json")
                    .body("{\"pipeline\": \"" + pipeline + "\", \"ref\": \"a/../../b\"}")
                    .post("/builds")),
        new Case(
            "build body not JSON",
            400,
            "body",
            () -> admin().contentType("application/json").body("{\"pipeline\": ").post("/builds")),
        new Case(
            "build body nested 3000 deep",
            400,
            "body",
            () -> admin().contentType("application/json").body(nestedObject).post("/builds")),
        new Case(
            "build of an unknown pipeline",
            404,
            "pipeline",
            () ->
                admin()
                    .contentType("application/json")
                    .body("{\"pipeline\": \"no-such-pipeline\"}")
                    .post("/builds")));
  }

  @Test
  void everyHostileInputIsRefusedNamingTheFieldAndChangesNothing() {
    HostileInput.assertRefused(catalogue(), HostileInputTest::state);
  }

  @Test
  void noHostileInputIsAnsweredWithAServerError() {
    HostileInput.assertNoServerError(catalogue());
  }

  private static Response raw(String pipeline, String event, String delivery, byte[] body) {
    return Forges.githubDelivery(pipeline, "application/json", event, delivery, body, SECRET);
  }

  private static ObjectNode pullRequest(int number) {
    return Forges.githubPullRequest("opened", repo.url(), number, "feature", sha, false);
  }

  /** A signed push delivered form-encoded, as GitHub does when the webhook is set up so. */
  private static Response form(byte[] body, String delivery) {
    return Forges.githubDelivery(pipeline, FORM, "push", delivery, body, SECRET);
  }

  private static Case listBuilds(String name, int status, String field, Object pipeline) {
    return new Case(
        name, status, field, () -> admin().queryParam("pipeline", pipeline).get("/builds"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }
}

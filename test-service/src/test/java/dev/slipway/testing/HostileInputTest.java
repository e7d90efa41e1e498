package dev.slipway.testing;

import static io.restassured.RestAssured.given;

import dev.slipway.testkit.HostileInput;
import dev.slipway.testkit.HostileInput.Case;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The test-service's hostile-input catalogue: {@code POST /pipelines/{p}/test-runs} bodies, and
 * paths and queries (pipelines no pipeline can be, run ids, node indexes, pages, outcomes). Each is
 * refused with the field named and queues no run and publishes no event; none is ever a 500.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class HostileInputTest {

  private static final String PIPELINE = UUID.randomUUID().toString();

  private static Map<String, Long> state() {
    return HostileInput.counts(
        List.of(
            "select count(*) from test_service.test_run where pipeline_id = ?::uuid",
            "select count(*) from test_service.outbox_event where event_key = ?"),
        PIPELINE);
  }

  private static List<Case> catalogue() {
    String nested = "{\"extra\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
    return List.of(
        run("neither build nor commit", 400, "build_id", "{}"),
        run(
            "both build and commit",
            400,
            "build_id",
            "{\"build_id\": \""
                + UUID.randomUUID()
                + "\", \"commit_sha\": \""
                + "a".repeat(40)
                + "\"}"),
        run("commit is a shell command", 400, "commit_sha", "{\"commit_sha\": \"$(reboot)\"}"),
        run("commit is short", 400, "commit_sha", "{\"commit_sha\": \"abc123\"}"),
        run("build id too long", 400, "build_id", "{\"build_id\": \"" + "b".repeat(201) + "\"}"),
        run("build id an object", 400, "build_id", "{\"build_id\": {\"a\": 1}}"),
        run("unknown build", 422, "build_id", "{\"build_id\": \"" + UUID.randomUUID() + "\"}"),
        run("body not JSON", 400, "body", "{\"build_id\": "),
        run("body nested 3000 deep", 400, "body", nested),
        HostileInput.path(
            "runs of a pipeline named with a NUL byte",
            404,
            null,
            "GET",
            "/pipelines/a%00b/test-runs"),
        HostileInput.path(
            "a run for a pipeline named with a NUL byte",
            404,
            null,
            "POST",
            "/pipelines/a%00b/test-runs",
            "{\"commit_sha\": \"" + "a".repeat(40) + "\"}"),
        HostileInput.path(
            "runs page 0", 400, null, "GET", "/pipelines/" + PIPELINE + "/test-runs?page=0"),
        HostileInput.path(
            "runs per_page above the cap",
            400,
            null,
            "GET",
            "/pipelines/" + PIPELINE + "/test-runs?per_page=501"),
        HostileInput.path(
            "flaky tests limit 0",
            400,
            null,
            "GET",
            "/pipelines/" + PIPELINE + "/flaky-tests?limit=0"),
        HostileInput.path("a run id not a UUID", 404, null, "GET", "/test-runs/not-a-run"),
        HostileInput.path(
            "cancelling a run id not a UUID", 404, null, "POST", "/test-runs/$(reboot)/cancel"),
        HostileInput.path("nodes of a run id not a UUID", 404, null, "GET", "/test-runs/x/nodes"),
        HostileInput.path(
            "node output of a node index not a number",
            404,
            null,
            "GET",
            "/test-runs/" + UUID.randomUUID() + "/nodes/first/output"),
        HostileInput.path(
            "test cases of an unknown outcome",
            400,
            "outcome",
            "GET",
            "/test-runs/" + UUID.randomUUID() + "/test-cases?outcome=exploded"));
  }

  @Test
  void everyHostileInputIsRefusedNamingTheFieldAndChangesNothing() {
    HostileInput.assertRefused(catalogue(), HostileInputTest::state);
  }

  @Test
  void noHostileInputIsAnsweredWithAServerError() {
    HostileInput.assertNoServerError(catalogue());
  }

  private static Case run(String name, int status, String field, String body) {
    return new Case(
        name,
        status,
        field,
        () ->
            given()
                .auth()
                .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/pipelines/" + PIPELINE + "/test-runs"));
  }
}

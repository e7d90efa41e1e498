package dev.slipway.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.apps.artifact.StoredArtifact;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.SecretBox;
import dev.slipway.events.Topic;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heroku CI test runs from build.finished to verdict, on real Kafka and PostgreSQL, with source
 * bundles of the Node example app in the artifact store as the build-service leaves them.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
@QuarkusTestResource(ForgeStandIn.class)
class TestRunFlowTest {

  private static final Path NODE_EXAMPLE =
      Path.of("..", "examples", "nodejs-web").toAbsolutePath().normalize();
  private static final List<String> ACTIVE = List.of("pending", "creating", "building", "running");
  private static final Path JAVA_EXAMPLE =
      Path.of("..", "examples", "java-maven-web").toAbsolutePath().normalize();
  private static final Random RANDOM = new Random();
  private static final Pattern WORKSPACE = Pattern.compile("(?m)^workspace (/\\S+)$");

  /**
   * {@code node probe.js LABEL [USER]}: opens the add-on socket named by DATABASE_URL and sends a
   * PostgreSQL startup packet as USER (default: DATABASE_URL's own role), then prints whether the
   * server answered (R: an authentication request) or the connection was refused.
   */
  private static final String PG_PROBE =
      """
      const net = require('net');
      const url = new URL(process.env.DATABASE_URL);
      const label = process.argv[2];
      const user = process.argv[3] || decodeURIComponent(url.username);
      const db = process.argv[3] || url.pathname.slice(1);
      const path = decodeURIComponent(url.hostname) + '/.s.PGSQL.' + url.port;
      const params = Buffer.from('user\\0' + user + '\\0database\\0' + db + '\\0\\0');
      const head = Buffer.alloc(8);
      head.writeInt32BE(8 + params.length, 0);
      head.writeInt32BE(196608, 4);
      let got = Buffer.alloc(0);
      let said = false;
      const say = (text) => { if (!said) { said = true; console.log('pg ' + label + ': ' + text); } };
      const s = net.connect({ path }, () => s.write(Buffer.concat([head, params])));
      s.on('data', (d) => {
        got = Buffer.concat([got, d]);
        if (got[0] === 0x45) {
          const m = got.toString('utf8', 5).split('\\0').find((f) => f.startsWith('M'));
          say('refused ' + (m ? m.slice(1) : ''));
        } else {
          say('answered ' + String.fromCharCode(got[0]));
        }
        s.destroy();
      });
      s.on('error', (e) => say('error ' + e.code));
      s.on('close', () => say('closed'));
      """;

  @BeforeAll
  static void startForge() throws IOException {
    ForgeStandIn.serve();
  }

  @Test
  void passingSuiteSucceedsListsItsCasesAnnouncesItAndMarksTheCommitGreen() {
    String repo = "acme/pass-" + suffix();
    String pipeline = registerPipeline(repo, Map.of(), true);
    String sha = sha();
    BuildFinished build = succeededBuild(pipeline, sha, bundle(app -> {}));
    CloudEvent first =
        TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);
    // The same build announced again under a new event id, then a build whose bundle is missing:
    // it is queued behind the duplicate on the pipeline's partition, so once its run exists the
    // duplicate was seen.
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);
    BuildFinished missing =
        new BuildFinished(
            pipeline,
            UUID.randomUUID().toString(),
            sha(),
            "main",
            null,
            false,
            BuildStatus.SUCCEEDED,
            digest(),
            digest(),
            null,
            Instant.now());
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, missing);
    assertNotNull(first);

    JsonPath run = awaitEnd(awaitRun(pipeline, build.buildId()));
    JsonPath errored = awaitEnd(awaitRun(pipeline, missing.buildId()));

    String id = run.getString("id");
    assertEquals("succeeded", run.getString("status"), () -> output(id, 0));
    assertEquals(1, run.getInt("number"));
    assertEquals(sha, run.getString("commit_sha"));
    assertEquals(build.artifactDigest(), run.getString("artifact_digest"));
    assertEquals(0, run.getInt("counts.failed"));
    assertTrue(run.getInt("counts.passed") >= 5, run.prettify());
    List<String> names =
        admin()
            .get("/test-runs/" + id + "/test-cases")
            .then()
            .statusCode(200)
            .extract()
            .path("name");
    assertTrue(names.contains("default greeting when GREETING is unset"), names::toString);
    assertEquals(run.getInt("counts.passed"), names.size());
    assertEquals("errored", errored.getString("status"));
    assertEquals(2, errored.getInt("number"));
    assertTrue(errored.getString("message").contains("not in the artifact store"));
    List<Object> runs =
        admin().get("/pipelines/" + pipeline + "/test-runs").then().extract().path("id");
    assertEquals(List.of(errored.getString("id"), id), runs, "one run per build, newest first");
    assertTrue(output(id, 0).contains("Tests passed"), output(id, 0));
    given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .queryParam("follow", "true")
        .get("/test-runs/" + id + "/nodes/0/output")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("Tests passed"));

    List<CloudEvent> events = testRunEvents(pipeline, 6, id);
    assertEquals(
        List.of(
            EventType.TESTSUITERUN_QUEUED.type(),
            EventType.TESTSUITERUN_STARTED.type(),
            EventType.TESTSUITERUN_FINISHED.type()),
        events.stream().map(CloudEvent::type).toList());
    events.forEach(SchemaValidation::assertValid);
    TestRunFinished finished = EventCodec.decode(events.get(2), TestRunFinished.class);
    assertEquals(TestRunStatus.SUCCEEDED, finished.status());
    assertEquals(build.artifactDigest(), finished.artifactDigest());
    assertEquals(run.getInt("counts.passed"), finished.counts().passed());
    assertEquals(0, finished.counts().failed());
    awaitStates(repo, sha, List.of("pending", "success"));
  }

  @Test
  void failingTestFailsNamingTheCaseAndAPassingRerunOfTheCommitFlagsItFlaky() {
    String repo = "acme/fail-" + suffix();
    String pipeline = registerPipeline(repo, Map.of(), true);
    String sha = sha();
    StoredArtifact bundle =
        bundle(
            app ->
                write(
                    app.resolve("test/flaky.test.js"),
                    """
                    'use strict';
                    const test = require('node:test');
                    const assert = require('node:assert/strict');
                    test('passes on the second run', () => {
                      assert.equal(process.env.HEROKU_TEST_RUN_NUMBER, '2', 'not the second run');
                    });
                    """));
    BuildFinished build = succeededBuild(pipeline, sha, bundle);
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);

    JsonPath failed = awaitEnd(awaitRun(pipeline, build.buildId()));

    String id = failed.getString("id");
    assertEquals("failed", failed.getString("status"), () -> output(id, 0));
    String message = failed.getString("message");
    assertTrue(
        message.matches("1 of \\d+ test cases failed on node 0: .*passes on the second run: .*"),
        message);
    assertTrue(message.contains("not the second run"), message);
    JsonPath cases =
        admin()
            .queryParam("outcome", "failed")
            .get("/test-runs/" + id + "/test-cases")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(List.of("passes on the second run"), cases.getList("name"));
    assertTrue(cases.getString("[0].message").contains("not the second run"), cases.prettify());
    awaitStates(repo, sha, List.of("pending", "failure"));

    String rerun =
        admin()
            .contentType("application/json")
            .body(Map.of("commit_sha", sha))
            .post("/pipelines/" + pipeline + "/test-runs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    JsonPath passed = awaitEnd(rerun);

    assertEquals("succeeded", passed.getString("status"), () -> output(rerun, 0));
    assertEquals(2, passed.getInt("number"));
    assertEquals("manual", passed.getString("trigger"));
    JsonPath flaky =
        admin()
            .get("/pipelines/" + pipeline + "/flaky-tests")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(List.of("passes on the second run"), flaky.getList("name"));
    assertEquals(id, flaky.getString("[0].failed_run_id"));
    assertEquals(rerun, flaky.getString("[0].passed_run_id"));
    String metrics = given().get("/q/metrics").then().extract().asString();
    assertTrue(metrics.contains("slipway_testruns_flaky_total"), "flaky counter exported");
    assertTrue(metrics.contains("slipway_testruns_duration_seconds_bucket"), "histogram exported");
  }

  /**
   * Heroku CI tests a commit once: a build that reused the commit's artifact (a push of an
   * already-built commit) gets the commit's verdict as a run of its own, without running again.
   */
  @Test
  void aBuildReusingACommitsArtifactGetsItsVerdictWithoutRunningTheTestsAgain() {
    String repo = "acme/reuse-" + suffix();
    String pipeline = registerPipeline(repo, Map.of(), false);
    String sha = sha();
    StoredArtifact bundle =
        bundle(
            app ->
                write(
                    app.resolve("test/once.test.js"),
                    """
                    'use strict';
                    const test = require('node:test');
                    const assert = require('node:assert/strict');
                    test('passes only when run first', () => {
                      assert.equal(process.env.HEROKU_TEST_RUN_NUMBER, '1', 'ran again');
                    });
                    """));
    BuildFinished built = succeededBuild(pipeline, sha, bundle);
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, built);
    JsonPath first = awaitEnd(awaitRun(pipeline, built.buildId()));
    assertEquals("succeeded", first.getString("status"), () -> output(first.getString("id"), 0));
    BuildFinished reused =
        new BuildFinished(
            pipeline,
            UUID.randomUUID().toString(),
            sha,
            "release",
            null,
            false,
            BuildStatus.SUCCEEDED,
            built.artifactDigest(),
            built.sourceBundleDigest(),
            null,
            Instant.now(),
            built.sourceBundleUri(),
            null,
            Instant.now(),
            built.buildId());

    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, reused);

    JsonPath second = awaitEnd(awaitRun(pipeline, reused.buildId()));
    String id = second.getString("id");
    assertEquals("succeeded", second.getString("status"), () -> output(id, 0));
    assertEquals(2, second.getInt("number"));
    assertEquals(first.getInt("counts.passed"), second.getInt("counts.passed"));
    assertTrue(second.getString("message").contains("run #1"), second.prettify());
    List<CloudEvent> events = testRunEvents(pipeline, 5, id);
    assertEquals(
        List.of(EventType.TESTSUITERUN_QUEUED.type(), EventType.TESTSUITERUN_FINISHED.type()),
        events.stream().map(CloudEvent::type).toList(),
        "announced like any run, but never started");
    events.forEach(SchemaValidation::assertValid);
    assertEquals(
        reused.buildId(), EventCodec.decode(events.get(1), TestRunFinished.class).buildId());
  }

  @Test
  void failingTestSetupErrorsAndAnUnsupportedAddonFailsTheRunNamingIt() {
    String pipeline = registerPipeline("acme/setup-" + suffix(), Map.of(), false);
    BuildFinished setup =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app ->
                    appJson(
                        app,
                        """
                        {"environments": {"test": {"scripts": {
                          "test-setup": "echo preparing; exit 3", "test": "npm test"}}}}
                        """)));
    BuildFinished redis =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app ->
                    appJson(
                        app,
                        """
                        {"environments": {"test": {"addons": ["heroku-redis:mini"]}}}
                        """)));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, setup);
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, redis);

    JsonPath setupRun = awaitEnd(awaitRun(pipeline, setup.buildId()));
    JsonPath redisRun = awaitEnd(awaitRun(pipeline, redis.buildId()));

    assertEquals("errored", setupRun.getString("status"));
    assertTrue(setupRun.getString("message").contains("test-setup failed (exit 3)"));
    assertTrue(output(setupRun.getString("id"), 0).contains("preparing"));
    assertEquals("failed", redisRun.getString("status"), "the user's app.json asked for it");
    assertEquals(
        "app.json: environments.test.addons: heroku-redis is not supported in test runs;"
            + " supported add-ons: heroku-postgresql",
        redisRun.getString("message"));
  }

  @Test
  void threeNodesRunInParallelEachWithItsOwnIndexAndSecretsRedacted() {
    String pipeline =
        registerPipeline("acme/nodes-" + suffix(), Map.of("API_TOKEN", "tok-9d8e7f6a5b4c"), false);
    BuildFinished build =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app ->
                    appJson(
                        app,
                        """
                        {"environments": {"test": {
                          "env": {"SLICE_PREFIX": "slice"},
                          "formation": {"test": {"quantity": 3}},
                          "scripts": {"test":
                            "echo \\"ok 1 - $SLICE_PREFIX $CI_NODE_INDEX of $CI_NODE_TOTAL\\"; echo \\"token $API_TOKEN ci=$CI\\""}}}}
                        """)));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);

    JsonPath run = awaitEnd(awaitRun(pipeline, build.buildId()));

    String id = run.getString("id");
    assertEquals("succeeded", run.getString("status"), () -> output(id, 0));
    JsonPath nodes = admin().get("/test-runs/" + id + "/nodes").then().extract().jsonPath();
    assertEquals(List.of(0, 1, 2), nodes.getList("index"));
    assertEquals(List.of("passed", "passed", "passed"), nodes.getList("status"));
    JsonPath cases = admin().get("/test-runs/" + id + "/test-cases").then().extract().jsonPath();
    assertEquals(List.of("slice 0 of 3", "slice 1 of 3", "slice 2 of 3"), cases.getList("name"));
    assertEquals(List.of(0, 1, 2), cases.getList("node"));
    String out = output(id, 1);
    assertTrue(out.contains("token [REDACTED] ci=true"), out);
    assertFalse(out.contains("tok-9d8e7f6a5b4c"), out);
  }

  @Test
  void endlessOutputIsTruncatedStopsTheProcessFailsTheNodeAndTheServiceKeepsWorking() {
    String pipeline = registerPipeline("acme/endless-" + suffix(), Map.of(), false);
    BuildFinished endless =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app ->
                    appJson(
                        app,
                        """
                        {"environments": {"test": {"scripts": {"test": "echo 'ok 1 - first'; yes"}}}}
                        """)));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, endless);

    // yes never ends by itself: the run ending at all means the cap stopped it.
    JsonPath run = awaitEnd(awaitRun(pipeline, endless.buildId()));

    String id = run.getString("id");
    assertEquals("failed", run.getString("status"), run::prettify);
    JsonPath node = admin().get("/test-runs/" + id + "/nodes").then().extract().jsonPath();
    assertEquals("failed", node.getString("[0].status"), node::prettify);
    assertEquals(
        "output over 100000 lines: the process was stopped",
        node.getString("[0].message"),
        node::prettify);
    List<String> lines = output(id, 0).lines().toList();
    String notice = "-----> output truncated: over 100000 lines; the rest was discarded";
    assertEquals(notice, lines.get(lines.size() - 1));
    assertEquals(1, lines.stream().filter(notice::equals).count());
    assertTrue(lines.size() <= 100_001, "lines kept: " + lines.size());

    given().get("/q/health/ready").then().statusCode(200);
    BuildFinished next =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app ->
                    appJson(
                        app,
                        """
                        {"environments": {"test": {"scripts": {"test": "echo 'ok 1 - after'"}}}}
                        """)));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, next);
    JsonPath after = awaitEnd(awaitRun(pipeline, next.buildId()));
    assertEquals("succeeded", after.getString("status"), () -> output(after.getString("id"), 0));
  }

  @Test
  void valuesTheApiRedactsAreMaskedInNodeOutputForAViewer() {
    String pipeline =
        registerPipeline(
            "acme/mask-" + suffix(), Map.of("PLAIN_SETTING", "plain-value-4242", "ON", "1"), false);
    BuildFinished build =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app ->
                    appJson(
                        app,
                        """
                        {"environments": {"test": {
                          "env": {"SESSION_SEED": {"generator": "secret"}},
                          "scripts": {"test":
                            "echo \\"setting $PLAIN_SETTING seed $SESSION_SEED on=$ON\\"; echo 'ok 1 - printed'"}}}}
                        """)));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);

    JsonPath run = awaitEnd(awaitRun(pipeline, build.buildId()));

    String id = run.getString("id");
    assertEquals("succeeded", run.getString("status"), () -> run.prettify() + output(id, 0));
    String seen =
        given()
            .auth()
            .oauth2(dev.slipway.testkit.TestTokens.issue("viewer").token())
            .get("/test-runs/" + id + "/nodes/0/output")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    // Values under 4 chars are left alone (or every "1" in a log would vanish).
    assertTrue(seen.contains("setting [REDACTED] seed [REDACTED] on=1"), seen);
    assertFalse(seen.contains("plain-value-4242"), seen);
    assertFalse(seen.matches("(?s).*seed [0-9a-f]{64}.*"), seen);
  }

  @Test
  void cancellingARunStopsEveryProcessAndRemovesTheWorkspace() {
    String pipeline = registerPipeline("acme/cancel-" + suffix(), Map.of(), false);
    // A pid inside the sandbox means nothing outside: the sleeper is found by its argument.
    String marker = "slipway-sleeper-" + suffix();
    BuildFinished build =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app ->
                    appJson(
                        app,
                        """
                        {"environments": {"test": {"scripts": {"test":
                          "bash -c 'sleep 600; true' %s & echo \\"workspace $PWD\\"; wait"}}}}
                        """
                            .formatted(marker))));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);
    String id = awaitRun(pipeline, build.buildId());
    Matcher started =
        WORKSPACE.matcher(
            awaitOutput(id, 0, out -> WORKSPACE.matcher(out).find() && running(marker) > 0));
    assertTrue(started.find());
    Path workspace = Path.of(started.group(1));
    assertTrue(Files.isDirectory(workspace));

    admin().post("/test-runs/" + id + "/cancel").then().statusCode(202);

    JsonPath run = awaitEnd(id);
    assertEquals("cancelled", run.getString("status"));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> running(marker) == 0);
    assertFalse(Files.exists(workspace), "the node's workspace is removed");
    assertEquals(
        "cancelled",
        admin().get("/test-runs/" + id + "/nodes").then().extract().path("[0].status"));
  }

  @Test
  void postgresAddonGivesTheRunAFreshDatabaseThatIsDroppedAfterwards() throws Exception {
    String pipeline = registerPipeline("acme/db-" + suffix(), Map.of(), false);
    BuildFinished build =
        succeededBuild(
            pipeline,
            sha(),
            bundle(
                app -> {
                  write(app.resolve("probe.js"), PG_PROBE);
                  write(app.resolve(".profile.d/jdbc.sh"), jdbcProfile());
                  appJson(
                      app,
                      """
                      {"environments": {"test": {
                        "addons": ["heroku-postgresql"],
                        "scripts": {"test":
                          "echo \\"database ${DATABASE_URL##*/} in $PWD\\"; echo \\"jdbc ${JDBC_DATABASE_URL%%\\\\?*} as $JDBC_DATABASE_USERNAME${JDBC_DATABASE_PASSWORD:+ with a password}\\"; node probe.js own; while [ ! -e gate ]; do sleep 0.2; done; echo 'ok 1 - database'"}}}}
                      """);
                }));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);
    String id = awaitRun(pipeline, build.buildId());
    Pattern database = Pattern.compile("(?m)^database (slipway_ci_\\w+) in (/\\S+)$");
    Matcher seen =
        database.matcher(
            awaitOutput(
                id, 0, out -> database.matcher(out).find() && out.contains("pg own: answered")));
    assertTrue(seen.find());
    String name = seen.group(1);
    assertEquals(name, databaseOwner(name), "the database exists, owned by its own role");
    // The Maven buildpack's profile, sourced as a dyno sources it, derived the JDBC variables.
    assertTrue(
        Pattern.compile(
                "(?m)^jdbc jdbc:postgresql://\\S+/" + name + " as " + name + " with a password$")
            .matcher(output(id, 0))
            .find(),
        () -> output(id, 0));
    assertTrue(
        output(id, 0).contains("pg own: answered R"),
        "its own role reaches the server (an authentication request): " + output(id, 0));

    Files.createFile(Path.of(seen.group(2)).resolve("gate"));

    JsonPath run = awaitEnd(id);
    assertEquals("succeeded", run.getString("status"), () -> output(id, 0));
    assertEquals(null, databaseOwner(name), "the database is dropped");
    assertFalse(output(id, 0).contains("postgres://"), "DATABASE_URL is redacted");
  }

  @Test
  void twoRunsWhoseTestsBothListenOnPort5000AtTheSameTimeBothPass() {
    String server =
        """
        require('http')
          .createServer((req, res) => res.end(process.env.HEROKU_TEST_RUN_ID))
          .on('error', (e) => { console.log('listen failed: ' + e.code); process.exit(1); })
          .listen(5000, '127.0.0.1', () => console.log('listening on 5000'));
        """;
    String client =
        """
        require('http')
          .get('http://127.0.0.1:5000/', (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => {
              const mine = body === process.env.HEROKU_TEST_RUN_ID;
              console.log((mine ? 'ok' : 'not ok') + ' 1 - port 5000 answers ' + body);
              process.exit(mine ? 0 : 1);
            });
          })
          .on('error', (e) => { console.log('not ok 1 - ' + e.code); process.exit(1); });
        """;
    Consumer<Path> app =
        dir -> {
          write(dir.resolve("server.js"), server);
          write(dir.resolve("client.js"), client);
          appJson(
              dir,
              """
              {"environments": {"test": {"scripts": {"test":
                "node server.js & echo \\"workspace $PWD\\"; for i in $(seq 600); do [ -e gate ] && break; sleep 0.2; done; node client.js"}}}}
              """);
        };
    String first = registerPipeline("acme/port-a-" + suffix(), Map.of(), false);
    String second = registerPipeline("acme/port-b-" + suffix(), Map.of(), false);
    BuildFinished a = succeededBuild(first, sha(), bundle(app));
    BuildFinished b = succeededBuild(second, sha(), bundle(app));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, a);
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, b);
    List<String> ids = List.of(awaitRun(first, a.buildId()), awaitRun(second, b.buildId()));
    List<Path> gates = new java.util.ArrayList<>();
    for (String id : ids) {
      Matcher listening =
          WORKSPACE.matcher(
              awaitOutput(
                  id,
                  0,
                  out -> WORKSPACE.matcher(out).find() && out.contains("listening on 5000")));
      assertTrue(listening.find());
      gates.add(Path.of(listening.group(1)).resolve("gate"));
    }

    // Both servers are listening on 127.0.0.1:5000 now; each test asks its own.
    for (Path gate : gates) {
      write(gate, "");
    }

    for (String id : ids) {
      JsonPath run = awaitEnd(id);
      assertEquals("succeeded", run.getString("status"), () -> output(id, 0));
      assertTrue(output(id, 0).contains("ok 1 - port 5000 answers " + id), output(id, 0));
    }
  }

  @Test
  void javaAppsTestsRunWithoutNetworkOnceTestCompilePreparedThem() {
    String pipeline = registerPipeline("acme/java-" + suffix(), Map.of(), false);
    BuildFinished build = succeededBuild(pipeline, sha(), bundle(JAVA_EXAMPLE, app -> {}));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);

    JsonPath run = awaitEnd(awaitRun(pipeline, build.buildId()));

    String id = run.getString("id");
    assertEquals("succeeded", run.getString("status"), () -> output(id, 0));
    assertTrue(run.getInt("counts.passed") >= 5, run.prettify());
    assertTrue(output(id, 0).contains("Tests run: 0, Failures: 0"), "test-compile ran no test");
  }

  /**
   * A stranger's fork pull request whose test script goes after the platform: four nodes, one
   * probing for secrets, files and infrastructure, one fork-bombing, one filling memory, one
   * filling the disk. Every attempt fails, and the service keeps answering.
   */
  @Test
  void hostileForkTestScriptCannotReachThePlatformAndItsExcessesAreContained() throws Exception {
    var infra = SlipwayInfrastructure.get();
    Path data = SlipwayInfrastructure.dataDir();
    String secret = "admin-token=" + UUID.randomUUID();
    Path config = data.resolve("config.properties");
    Files.writeString(config, secret);
    int postgresPort = URI.create(infra.jdbcUrl().substring("jdbc:".length())).getPort();
    String kafka = infra.bootstrapServers().split(",")[0];
    int kafkaPort = Integer.parseInt(kafka.substring(kafka.lastIndexOf(':') + 1));
    String attack =
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "DATA='" + data + "'",
            "case \"$CI_NODE_INDEX\" in",
            "0)",
            "  echo \"uid $(id -u)\"",
            "  echo \"pids $(ls /proc | grep -c '^[0-9]*$')\"",
            "  for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do",
            "    tr '\\0' ' ' < \"$f\" 2>/dev/null; echo",
            "  done",
            "  cat \"$DATA/config.properties\"",
            "  ls -A \"$DATA\" \"$DATA/artifacts\"",
            "  echo planted > \"$DATA/planted\" 2>/dev/null || echo 'write refused'",
            "  echo \"run dir [$(ls -A ../.. | tr '\\n' ' ')]\"",
            "  (exec 3<>/dev/tcp/127.0.0.1/"
                + postgresPort
                + ") 2>/dev/null"
                + " && echo 'postgres tcp open' || echo 'postgres tcp refused'",
            "  (exec 3<>/dev/tcp/127.0.0.1/"
                + kafkaPort
                + ") 2>/dev/null"
                + " && echo 'kafka open' || echo 'kafka refused'",
            "  node probe.js superuser postgres",
            "  node probe.js platform '" + infra.user() + "'",
            "  node probe.js own",
            "  echo \"token [$API_TOKEN]\"",
            "  echo 'ok 1 - probes done' ;;",
            "1)",
            "  timeout -s KILL 10 bash -c 'bomb() { bomb | bomb & }; bomb; wait' 2>/dev/null",
            "  echo 'bomb over' ;;",
            "2)",
            "  x=$(head -c 2000000000 /dev/zero | tr '\\0' a)",
            "  echo \"survived ${#x}\" ;;",
            "3)",
            "  i=0; while truncate -s 8M \"fill-$i\"; do i=$((i+1)); done",
            "  echo \"disk survived $i\" ;;",
            "esac",
            "");
    String pipeline =
        registerPipeline(
            "acme/hostile-" + suffix(), Map.of("API_TOKEN", "tok-5e6f7a8b9c0d"), false);
    StoredArtifact bundle =
        bundle(
            app -> {
              write(app.resolve("probe.js"), PG_PROBE);
              write(app.resolve("attack.sh"), attack);
              appJson(
                  app,
                  """
                  {"environments": {"test": {
                    "addons": ["heroku-postgresql"],
                    "formation": {"test": {"quantity": 4}},
                    "scripts": {"test": "bash attack.sh"}}}}
                  """);
            });
    BuildFinished build = forkBuild(succeededBuild(pipeline, sha(), bundle));
    TestEvents.publish("urn:slipway:build-service", EventType.BUILD_FINISHED, build);

    try {
      JsonPath run = awaitEnd(awaitRun(pipeline, build.buildId()));

      String id = run.getString("id");
      String probes = output(id, 0);
      assertTrue(probes.contains("ok 1 - probes done"), probes);
      assertFalse(probes.contains(secret), "config.properties unreadable: " + probes);
      assertTrue(probes.contains(config + ": No such file or directory"), probes);
      assertFalse(probes.contains(SlipwayInfrastructure.ADMIN_TOKEN), "no argv/env leak");
      assertFalse(probes.contains(SlipwayInfrastructure.SECRETS_KEY), "no argv/env leak");
      Matcher pids = Pattern.compile("pids (\\d+)").matcher(probes);
      // Its own few (sandbox init, shells, ls, grep); the host runs hundreds.
      assertTrue(pids.find() && Integer.parseInt(pids.group(1)) <= 8, probes);
      assertFalse(probes.contains("surefire"), "the platform's JVM is invisible: " + probes);
      assertFalse(probes.contains("bin/postgres"), "PostgreSQL is invisible: " + probes);
      assertTrue(probes.contains("write refused"), probes);
      assertFalse(Files.exists(data.resolve("planted")));
      assertTrue(probes.contains("run dir [node-0 ]"), "sees no other node's files: " + probes);
      assertTrue(probes.contains("postgres tcp refused"), probes);
      assertTrue(probes.contains("kafka refused"), probes);
      assertTrue(probes.contains("pg superuser: refused"), probes);
      assertTrue(probes.contains("pg platform: refused"), probes);
      assertTrue(probes.contains("pg own: answered R"), "its own database works: " + probes);
      assertTrue(probes.contains("token []"), "a fork gets no test config vars: " + probes);
      String bomb = output(id, 1);
      assertTrue(bomb.contains("bomb over"), bomb);
      String memory = output(id, 2);
      assertFalse(memory.contains("survived"), memory);
      String disk = output(id, 3);
      assertTrue(disk.contains("killed: disk quota (1024 MB)"), disk);
      assertFalse(disk.contains("disk survived"), disk);
      assertEquals("failed", run.getString("status"), run.prettify());
      if (isRoot()) {
        assertTrue(probes.contains("uid 65534"), probes);
        assertTrue(
            bomb.contains("killed: process limit (256 processes): new processes were refused"),
            bomb);
        assertTrue(memory.contains("killed: memory limit (512 MB)"), memory);
      }
      assertEquals(0, running("bomb() {"), "no process of the bomb survives");
      given().get("/q/health/ready").then().statusCode(200);
      admin().get("/test-runs/" + id).then().statusCode(200);
    } finally {
      Files.deleteIfExists(config);
    }
  }

  @Test
  void badRerunRequestsAreRefusedNamingTheField() {
    String pipeline = registerPipeline("acme/rest-" + suffix(), Map.of(), false);
    admin()
        .contentType("application/json")
        .body(Map.of())
        .post("/pipelines/" + pipeline + "/test-runs")
        .then()
        .statusCode(400)
        .body("field", org.hamcrest.Matchers.equalTo("build_id"));
    admin()
        .contentType("application/json")
        .body(Map.of("commit_sha", sha()))
        .post("/pipelines/" + pipeline + "/test-runs")
        .then()
        .statusCode(422)
        .body("field", org.hamcrest.Matchers.equalTo("commit_sha"));
    admin()
        .contentType("application/json")
        .body(Map.of("commit_sha", "main"))
        .post("/pipelines/" + pipeline + "/test-runs")
        .then()
        .statusCode(400);
    admin().get("/test-runs/" + UUID.randomUUID()).then().statusCode(404);
    admin().get("/pipelines/no-such-pipeline/test-runs").then().statusCode(404);
    given()
        .auth()
        .oauth2(dev.slipway.testkit.TestTokens.issue("viewer").token())
        .post("/test-runs/" + UUID.randomUUID() + "/cancel")
        .then()
        .statusCode(403);
  }

  /** Publishes a GitHub pipeline (with a sealed forge token when asked) and waits for it. */
  private static String registerPipeline(
      String repo, Map<String, String> testVars, boolean forgeToken) {
    String id = UUID.randomUUID().toString();
    String name = repo.substring(repo.indexOf('/') + 1);
    SecretBox box = SecretBox.fromBase64Key(SlipwayInfrastructure.SECRETS_KEY);
    String vars = testVars.isEmpty() ? null : toJson(testVars);
    TestEvents.publish(
        "urn:slipway:promotion-service",
        EventType.PIPELINE_CREATED,
        new PipelineSnapshot(
            id,
            name,
            "https://github.com/" + repo + ".git",
            Forge.GITHUB,
            "main",
            List.of(),
            new PipelineSnapshot.AutoDeploy(true, "main", true),
            new PipelineSnapshot.ReviewApps(true, true, 5),
            Instant.now(),
            new PipelineSnapshot.Sealed(
                null,
                forgeToken
                    ? box.seal("ghp_standin-token", id, PipelineSnapshot.Sealed.FORGE_TOKEN)
                    : null,
                vars == null ? null : box.seal(vars, id, PipelineSnapshot.Sealed.TEST_CONFIG_VARS),
                null)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin().get("/pipelines/" + name + "/test-runs").statusCode() == 200);
    return id;
  }

  private static BuildFinished succeededBuild(String pipeline, String sha, StoredArtifact bundle) {
    return new BuildFinished(
        pipeline,
        UUID.randomUUID().toString(),
        sha,
        "main",
        null,
        false,
        BuildStatus.SUCCEEDED,
        digest(),
        bundle.digest().toString(),
        null,
        Instant.now(),
        bundle.uri().toString(),
        null);
  }

  /** A copy of the Node example, changed by {@code change}, packed into the artifact store. */
  private static StoredArtifact bundle(Consumer<Path> change) {
    return bundle(NODE_EXAMPLE, change);
  }

  /** A copy of {@code example} (without build output), changed, packed into the store. */
  private static StoredArtifact bundle(Path example, Consumer<Path> change) {
    try {
      Path app = Files.createTempDirectory("example-app");
      try (Stream<Path> files = Files.walk(example)) {
        for (Path source : files.filter(f -> !f.toString().contains("/target")).toList()) {
          Path target = app.resolve(example.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
      change.accept(app);
      Path tarball = Files.createTempDirectory("bundle").resolve("source.tar.gz");
      Archives.pack(app, tarball);
      return new FileSystemArtifactStore(SlipwayInfrastructure.dataDir().resolve("artifacts"))
          .put(tarball);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The same build, as a fork pull request's. */
  private static BuildFinished forkBuild(BuildFinished build) {
    return new BuildFinished(
        build.pipelineId(),
        build.buildId(),
        build.commitSha(),
        "feature/x",
        7,
        true,
        build.status(),
        build.artifactDigest(),
        build.sourceBundleDigest(),
        null,
        build.finishedAt(),
        build.sourceBundleUri(),
        null);
  }

  private static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .count();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void appJson(Path app, String json) {
    write(app.resolve("app.json"), json);
  }

  /** The Maven buildpack's {@code .profile.d/jdbc.sh}, as it writes it into an app. */
  private static String jdbcProfile() {
    try (var in =
        TestRunFlowTest.class
            .getClassLoader()
            .getResourceAsStream("dev/slipway/apps/buildpacks/maven/profile/jdbc.sh")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String awaitRun(String pipeline, String buildId) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<Map<String, Object>> runs =
                  admin().get("/pipelines/" + pipeline + "/test-runs").then().extract().path("$");
              return runs.stream()
                  .filter(r -> buildId.equals(r.get("build_id")))
                  .map(r -> (String) r.get("id"))
                  .findFirst()
                  .orElse(null);
            },
            r -> r != null);
  }

  private static JsonPath awaitEnd(String runId) {
    return Awaitility.await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> admin().get("/test-runs/" + runId).then().statusCode(200).extract().jsonPath(),
            r -> !ACTIVE.contains(r.getString("status")));
  }

  /** Node output once {@code done} says so; on timeout, fails showing the output. */
  private static String awaitOutput(String runId, int node, Predicate<String> done) {
    try {
      return Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> output(runId, node), done);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "node " + node + " of run " + runId + " did not get there:\n" + output(runId, node), e);
    }
  }

  private static String output(String runId, int node) {
    return admin()
        .get("/test-runs/" + runId + "/nodes/" + node + "/output")
        .then()
        .extract()
        .asString();
  }

  private static List<CloudEvent> testRunEvents(String pipeline, int total, String runId) {
    return TopicProbe.findAll(
            SlipwayInfrastructure.get().bootstrapServers(),
            Topic.TEST_RUNS.topicName(),
            pipeline,
            total,
            Duration.ofSeconds(30))
        .stream()
        .map(TopicProbe::cloudEvent)
        .filter(e -> new String(e.data(), java.nio.charset.StandardCharsets.UTF_8).contains(runId))
        .toList();
  }

  private static void awaitStates(String repo, String sha, List<String> expected) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ForgeStandIn.states(repo, sha), s -> s.size() >= expected.size());
    assertEquals(expected, ForgeStandIn.states(repo, sha));
  }

  private static String databaseOwner(String name) throws Exception {
    var infra = SlipwayInfrastructure.get();
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        PreparedStatement s =
            c.prepareStatement(
                "select pg_get_userbyid(datdba) from pg_database where datname = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  private static String toJson(Map<String, String> vars) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(vars);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String digest() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "sha256:" + HexFormat.of().formatHex(bytes);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

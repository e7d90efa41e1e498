package dev.slipway.systemtests;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.EventType;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.local.LocalInfrastructure;
import dev.slipway.local.ServiceProcess;
import dev.slipway.testkit.GitFixture;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas each of build-service and test-service (packaged jars, child JVMs) on one database
 * and one Kafka: restarting one replica leaves the work the other runs alone, and a cancel sent to
 * either replica stops the work where it runs (ADR 0017).
 */
class ReplicasIT {

  private static final Path SERVICES = Path.of(System.getProperty("slipway.services.dir", ".."));
  private static final Path NODE_EXAMPLE =
      SERVICES.resolve("examples/nodejs-web").toAbsolutePath().normalize();
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final Pattern WORKSPACE = Pattern.compile("(?m)^workspace (/\\S+)$");

  private static final Map<String, ServiceProcess> replicas = new HashMap<>();
  private final LocalInfrastructure infra = SlipwayInfrastructure.get();

  @BeforeAll
  static void startTwoReplicasOfEach() {
    for (String name : List.of("build-a", "build-b", "test-a", "test-b")) {
      start(name);
    }
  }

  @AfterAll
  static void stopReplicas() {
    replicas.values().forEach(ServiceProcess::close);
  }

  @Test
  void buildSurvivesTheRestartOfTheOtherReplicaAndACancelSentToThatReplicaStopsIt()
      throws Exception {
    String marker = "slipway-sleeper-" + suffix();
    try (GitFixture repo = slowBuildRepository(marker)) {
      String build = runningBuild(repo, marker);
      String owner = owner("build_service.build", build);
      String other = owner.equals("build-a") ? "build-b" : "build-a";

      restart(other);
      // The restarted replica swept at startup and keeps sweeping every beat: wait for two more.
      awaitSweeps("build_service", other);

      assertEquals("running", buildStatus(build), "the other replica's restart errored it");
      assertEquals(owner, owner("build_service.build", build));
      assertTrue(running(marker) > 0, "the build's process was stopped");

      // Sent to the replica that does not run it: only the database notification can stop it.
      api(other).post("/builds/" + build + "/cancel").then().statusCode(202);

      await().atMost(PATIENCE).until(() -> "cancelled".equals(buildStatus(build)));
      await().atMost(Duration.ofSeconds(30)).until(() -> running(marker) == 0);
    }
  }

  @Test
  void testRunSurvivesTheRestartOfTheOtherReplicaAndACancelSentToThatReplicaStopsIt()
      throws Exception {
    String marker = "slipway-sleeper-" + suffix();
    try (GitFixture repo = GitFixture.withApp(NODE_EXAMPLE)) {
      repo.write(
          "app.json",
          """
          {"environments": {"test": {"scripts": {"test":
            "bash -c 'sleep 600; true' %s & echo \\"workspace $PWD\\"; wait"}}}}
          """
              .formatted(marker));
      repo.commitAndPush("a test that runs until stopped");
      String pipeline = registerPipeline(repo);
      String build = startBuild(pipeline);
      await().atMost(PATIENCE).until(() -> "succeeded".equals(buildStatus(build)));
      String run = await().atMost(PATIENCE).until(() -> testRunOf(build), id -> id != null);
      String output =
          await()
              .atMost(PATIENCE)
              .until(() -> nodeOutput(run), out -> WORKSPACE.matcher(out).find());
      await().atMost(PATIENCE).until(() -> running(marker) > 0);
      Matcher found = WORKSPACE.matcher(output);
      assertTrue(found.find());
      Path workspace = Path.of(found.group(1));
      assertTrue(Files.isDirectory(workspace), workspace + " is not the node's workspace");
      String owner = owner("test_service.test_run", run);
      String other = owner.equals("test-a") ? "test-b" : "test-a";

      restart(other);
      awaitSweeps("test_service", other);

      assertEquals("running", testRunStatus(run), "the other replica's restart errored it");
      assertTrue(Files.isDirectory(workspace), "the other replica's sweep removed its workspace");
      assertTrue(running(marker) > 0, "the run's process was stopped");

      api(other).post("/test-runs/" + run + "/cancel").then().statusCode(202);

      await().atMost(PATIENCE).until(() -> "cancelled".equals(testRunStatus(run)));
      await().atMost(Duration.ofSeconds(30)).until(() -> running(marker) == 0);
    }
  }

  @Test
  void buildOfAReplicaKilledAndStartedAgainUnderItsNameIsErroredAtOnce() throws Exception {
    String marker = "slipway-sleeper-" + suffix();
    try (GitFixture repo = slowBuildRepository(marker)) {
      String build = runningBuild(repo, marker);
      String owner = owner("build_service.build", build);

      replicas.get(owner).kill();
      start(owner);

      // Its previous incarnation will never finish the build: no need to wait for a stale beat.
      assertEquals("errored", buildStatus(build));
      killLeftovers(marker);
    }
  }

  private static void start(String name) {
    boolean build = name.startsWith("build");
    String service = build ? "build-service" : "test-service";
    Map<String, String> config =
        new HashMap<>(SlipwayInfrastructure.serviceConfig(SlipwayInfrastructure.get(), service));
    config.put("slipway.instance.name", name);
    config.put("slipway.instances.heartbeat-interval", "1s");
    // Far above the beat: a loaded machine pausing a replica for seconds must not end its work.
    config.put("slipway.instances.stale-after", "60s");
    config.put("slipway.outbound.allow-local-paths", "true");
    config.put(build ? "slipway.builds.workers" : "slipway.testruns.workers", "1");
    replicas.put(
        name,
        ServiceProcess.start(
            name,
            SERVICES.resolve(service + "/target/quarkus-app/quarkus-run.jar"),
            0,
            config,
            Path.of("target", "replicas-" + name + ".log"),
            PATIENCE));
  }

  private static void restart(String name) {
    replicas.get(name).kill();
    start(name);
  }

  /** A repository whose own buildpack starts a sleeper tagged {@code marker} and waits for it. */
  private static GitFixture slowBuildRepository(String marker) {
    GitFixture repo = GitFixture.withApp(NODE_EXAMPLE);
    repo.write("app.json", "{\"buildpacks\": [{\"url\": \"buildpacks/slow\"}]}");
    repo.write("buildpacks/slow/bin/detect", "#!/bin/sh\necho slow\n");
    // The sleeper's pid inside the sandbox means nothing outside: it is found by its argument.
    repo.write(
        "buildpacks/slow/bin/compile",
        "#!/usr/bin/env bash\nbash -c 'sleep 600; true' " + marker + " &\necho started\nwait\n");
    repo.write("buildpacks/slow/bin/release", "#!/bin/sh\necho '--- {}'\n");
    for (String script : List.of("detect", "compile", "release")) {
      repo.workTree().resolve("buildpacks/slow/bin/" + script).toFile().setExecutable(true);
    }
    repo.commitAndPush("slow buildpack");
    return repo;
  }

  /** Builds {@code repo}'s branch and waits until its buildpack's sleeper runs. */
  private static String runningBuild(GitFixture repo, String marker) {
    String build = startBuild(registerPipeline(repo));
    await()
        .atMost(PATIENCE)
        .until(() -> "running".equals(buildStatus(build)) && running(marker) > 0);
    return build;
  }

  private static String registerPipeline(GitFixture repo) {
    String id = UUID.randomUUID().toString();
    TestEvents.publish(
        "urn:slipway:promotion-service",
        EventType.PIPELINE_CREATED,
        new PipelineSnapshot(
            id,
            "replicas-" + suffix(),
            repo.url(),
            Forge.GITHUB,
            "main",
            List.of(),
            new PipelineSnapshot.AutoDeploy(true, "main", true),
            new PipelineSnapshot.ReviewApps(false, true, 5),
            Instant.now()));
    return id;
  }

  /** Queues a build of the pipeline's branch through build-a once build-a knows the pipeline. */
  private static String startBuild(String pipeline) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> {
              var response =
                  api("build-a")
                      .contentType(ContentType.JSON)
                      .body(Map.of("pipeline", pipeline))
                      .post("/builds");
              return response.statusCode() == 202 ? response.path("id").toString() : null;
            },
            id -> id != null);
  }

  private static String buildStatus(String build) {
    return api("build-a").get("/builds/" + build).then().statusCode(200).extract().path("status");
  }

  private static String testRunStatus(String run) {
    return api("test-a").get("/test-runs/" + run).then().statusCode(200).extract().path("status");
  }

  private static String nodeOutput(String run) {
    var response = api("test-a").get("/test-runs/" + run + "/nodes/0/output");
    return response.statusCode() == 200 ? response.asString() : "";
  }

  private static RequestSpecification api(String replica) {
    return given()
        .baseUri(replicas.get(replica).baseUri().toString())
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  /** The name of the replica whose incarnation claimed the work {@code id} in {@code table}. */
  private String owner(String table, String id) throws Exception {
    String schema = table.substring(0, table.indexOf('.'));
    return query(
        "select i.name from "
            + table
            + " w join "
            + schema
            + ".service_instance i on i.id = w.owner_instance where w.id = ?::uuid",
        id);
  }

  private String testRunOf(String build) throws Exception {
    return query("select id::text from test_service.test_run where build_id = ?", build);
  }

  /**
   * Waits until the newest incarnation of {@code replica} has beaten (and so swept) twice more
   * after it started.
   */
  private void awaitSweeps(String schema, String replica) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                "true"
                    .equals(
                        query(
                            "select (heartbeat_at >= started_at + interval '2 seconds')::text from "
                                + schema
                                + ".service_instance where name = ? order by started_at desc"
                                + " limit 1",
                            replica)));
  }

  private String query(String sql, String parameter) throws Exception {
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .count();
  }

  /** A killed replica cannot stop its children: the test does, so they outlive nothing. */
  private static void killLeftovers(String marker) {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.slipway.build;

import static dev.slipway.build.Forges.github;
import static dev.slipway.build.Forges.githubPush;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.testkit.GitFixture;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A build that outlives its timeout is Slipway's verdict, not the code's: errored, tree gone. */
@QuarkusTest
@TestProfile(ShortTimeoutProfile.class)
@QuarkusTestResource(SlipwayInfrastructure.class)
class BuildTimeoutTest {

  private static final String SECRET = "timeout-webhook-secret";

  @Test
  void buildLongerThanItsTimeoutEndsErroredAndLeavesNoProcess() throws Exception {
    Path app = Files.createTempDirectory("endless-app");
    String marker = "slipway-endless-" + suffix();
    try (GitFixture repo = GitFixture.withApp(app)) {
      repo.write("app.json", "{\"buildpacks\": [{\"url\": \"buildpacks/endless\"}]}");
      repo.write("buildpacks/endless/bin/detect", "#!/bin/sh\necho endless\n");
      repo.write(
          "buildpacks/endless/bin/compile",
          // The sleeper's pid inside the sandbox means nothing outside: it is found by its
          // argument.
          "#!/usr/bin/env bash\nbash -c 'sleep 600; true' " + marker + " &\necho sleeping\nwait\n");
      repo.write("buildpacks/endless/bin/release", "#!/bin/sh\necho '--- {}'\n");
      for (String script : List.of("detect", "compile", "release")) {
        repo.workTree().resolve("buildpacks/endless/bin/" + script).toFile().setExecutable(true);
      }
      String sha = repo.commitAndPush("never finishes");
      String pipeline = Forges.registerPipeline("endless-" + suffix(), repo.url(), "main", SECRET);
      String build =
          github(
                  pipeline,
                  "push",
                  githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha),
                  SECRET,
                  UUID.randomUUID().toString())
              .then()
              .statusCode(202)
              .extract()
              .path("build_id");

      JsonPath ended =
          Awaitility.await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> admin().get("/builds/" + build).then().extract().jsonPath(),
                  b -> !List.of("queued", "running").contains(b.getString("status")));

      assertEquals("errored", ended.getString("status"));
      assertTrue(ended.getString("error").contains("timeout"), ended.getString("error"));
      String log = admin().get("/builds/" + build + "/log").then().extract().asString();
      assertTrue(log.contains("sleeping"), log);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ProcessHandle.allProcesses()
                      .noneMatch(p -> p.info().commandLine().orElse("").contains(marker)));
    }
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.slipway.deploy;

import static dev.slipway.deploy.DeployFixtures.admin;
import static dev.slipway.deploy.DeployFixtures.awaitRelease;
import static dev.slipway.deploy.DeployFixtures.build;
import static dev.slipway.deploy.DeployFixtures.databaseExists;
import static dev.slipway.deploy.DeployFixtures.get;
import static dev.slipway.deploy.DeployFixtures.pipeline;
import static dev.slipway.deploy.DeployFixtures.slug;
import static dev.slipway.deploy.DeployFixtures.suffix;
import static dev.slipway.deploy.DeployFixtures.testRun;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Heroku's add-on model on ordinary apps: {@code addons:create heroku-postgresql} makes a database
 * with its own role, attached as DATABASE_URL in a new release whose dynos see the JDBC variables
 * the Maven buildpack's profile derives from it; {@code addons:destroy} detaches and drops it; a
 * staging app's app.json add-on is provisioned once, before its first release.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class AddonFlowTest {

  /** The dyno answers with what its profile made of DATABASE_URL. */
  private static final String GREETING_PROFILE =
      "export GREETING=\"jdbc=${JDBC_DATABASE_URL:-none} user=${JDBC_DATABASE_USERNAME:-none}\"\n";

  @Test
  void createdAddonIsAttachedAsDatabaseUrlAndTheDynoSeesItsJdbcVariables() throws Exception {
    String staging = "db-" + suffix() + "-staging";
    String pipeline = pipeline("db", staging, "db-" + suffix(), true);
    String buildId = UUID.randomUUID().toString();
    build(pipeline, javaLikeSlug("Hello", null), buildId, null);
    testRun(pipeline, buildId, 1, TestRunStatus.SUCCEEDED);
    assertEquals("succeeded", awaitRelease(staging, 1).getString("status"));
    assertTrue(get(staging).body().startsWith("jdbc=none"), "no add-on yet");
    TestTokens.Issued developer = TestTokens.issue("developer");
    TestTokens.Issued viewer = TestTokens.issue("viewer");

    JsonPath created =
        as(developer.token())
            .body(Map.of("plan", "heroku-postgresql"))
            .post("/apps/" + staging + "/addons")
            .then()
            .statusCode(201)
            .body("name", matchesPattern("postgresql-[a-z]+-[0-9]{5}"))
            .body("plan", equalTo("heroku-postgresql"))
            .body("config_var", equalTo("DATABASE_URL"))
            .body("release", equalTo(2))
            .extract()
            .jsonPath();
    String name = created.getString("name");

    JsonPath v2 = awaitRelease(staging, 2);
    assertEquals("succeeded", v2.getString("status"), v2.prettify());
    assertEquals("Attach DATABASE (@ref:" + name + ")", v2.getString("description"));
    String databaseUrl = revealed(staging).getString("DATABASE_URL");
    URI url = URI.create(databaseUrl);
    String user = url.getUserInfo().split(":", 2)[0];
    String password = url.getUserInfo().split(":", 2)[1];
    String database = url.getPath().substring(1);
    String jdbc =
        "jdbc:postgresql://"
            + url.getHost()
            + ":"
            + url.getPort()
            + "/"
            + database
            + "?user="
            + user
            + "&password="
            + password;
    String body = get(staging).body();
    assertTrue(body.startsWith("jdbc=" + jdbc + " user=" + user + "\n"), body);
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_user, current_database()")) {
      rs.next();
      assertEquals(user, rs.getString(1), "the add-on has a login role of its own");
      assertEquals(database, rs.getString(2));
    }
    assertEquals(0, leaks(password), "the password is in no event, release output or log");

    String listed =
        as(viewer.token())
            .get("/apps/" + staging + "/addons")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertEquals(List.of(name), JsonPath.from(listed).getList("name"));
    assertFalse(listed.contains(password), listed);
    as(viewer.token())
        .get("/apps/" + staging + "/config-vars")
        .then()
        .body("DATABASE_URL", equalTo("[REDACTED]"));
    as(viewer.token())
        .body(Map.of("plan", "heroku-postgresql"))
        .post("/apps/" + staging + "/addons")
        .then()
        .statusCode(403);
    as(viewer.token()).delete("/apps/" + staging + "/addons/" + name).then().statusCode(403);
    as(developer.token())
        .body(Map.of("plan", "heroku-postgresql"))
        .post("/apps/" + staging + "/addons")
        .then()
        .statusCode(409)
        .body("field", equalTo("plan"));

    as(developer.token())
        .delete("/apps/" + staging + "/addons/" + name)
        .then()
        .statusCode(200)
        .body("release", equalTo(3));
    JsonPath v3 = awaitRelease(staging, 3);
    assertEquals("Detach DATABASE (@ref:" + name + ")", v3.getString("description"));
    assertNull(revealed(staging).getString("DATABASE_URL"));
    assertTrue(get(staging).body().startsWith("jdbc=none"), "v3 runs without the add-on");
    assertFalse(databaseExists(database), "the database is dropped with the add-on");
    assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbc).close());
    as(viewer.token())
        .get("/apps/" + staging + "/addons")
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
    as(developer.token()).delete("/apps/" + staging + "/addons/" + name).then().statusCode(404);
  }

  @Test
  void stagingAppGetsItsAppJsonAddonBeforeItsFirstReleaseAndKeepsItOnLaterOnes() throws Exception {
    String staging = "dbj-" + suffix() + "-staging";
    String pipeline = pipeline("dbj", staging, "dbj-" + suffix(), true);
    String appJson = "{\"name\": \"java-like\", \"addons\": [\"heroku-postgresql:essential-0\"]}";
    String first = UUID.randomUUID().toString();
    build(pipeline, javaLikeSlug("v1", appJson), first, null);
    testRun(pipeline, first, 1, TestRunStatus.SUCCEEDED);

    JsonPath v1 = awaitRelease(staging, 1);
    assertEquals("succeeded", v1.getString("status"), v1.prettify());
    String databaseUrl = revealed(staging).getString("DATABASE_URL");
    assertTrue(databaseUrl.startsWith("postgres://"), "DATABASE_URL set before v1 ran");
    assertTrue(get(staging).body().startsWith("jdbc=jdbc:postgresql://"), "v1 sees it");
    JsonPath addons = admin().get("/apps/" + staging + "/addons").jsonPath();
    assertEquals(List.of("heroku-postgresql:essential-0"), addons.getList("plan"));

    String second = UUID.randomUUID().toString();
    build(pipeline, javaLikeSlug("v2", appJson), second, null);
    testRun(pipeline, second, 2, TestRunStatus.SUCCEEDED);
    assertEquals("succeeded", awaitRelease(staging, 2).getString("status"));
    assertEquals(databaseUrl, revealed(staging).getString("DATABASE_URL"), "provisioned once");
    assertEquals(1, admin().get("/apps/" + staging + "/addons").jsonPath().getList("$").size());
  }

  /** The Node.js example with the Maven buildpack's JDBC profile and one reporting it. */
  private static DeployFixtures.Slug javaLikeSlug(String greeting, String appJson)
      throws IOException {
    return slug(
        greeting,
        appJson,
        Map.of(".profile.d/jdbc.sh", jdbcProfile(), ".profile.d/zz-report.sh", GREETING_PROFILE));
  }

  private static String jdbcProfile() throws IOException {
    try (InputStream in =
        AddonFlowTest.class
            .getClassLoader()
            .getResourceAsStream("dev/slipway/apps/buildpacks/maven/profile/jdbc.sh")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonPath revealed(String app) {
    return admin().get("/apps/" + app + "/config-vars?reveal=true").jsonPath();
  }

  private static io.restassured.specification.RequestSpecification as(String token) {
    return given().auth().oauth2(token).contentType(ContentType.JSON);
  }

  /** Rows of events and releases' output holding {@code secret}. */
  private static long leaks(String secret) throws SQLException {
    var infra = SlipwayInfrastructure.get();
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        PreparedStatement s =
            c.prepareStatement(
                "select (select count(*) from deploy_service.outbox_event"
                    + " where position(convert_to(?, 'UTF8') in payload) > 0)"
                    + " + (select count(*) from deploy_service.release"
                    + " where position(? in coalesce(output, '') || description) > 0)")) {
      s.setString(1, secret);
      s.setString(2, secret);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}

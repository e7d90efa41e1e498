package dev.slipway.promotion;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import db.migration.V5__Seal_stored_pipeline_secrets;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.SecretBox;
import dev.slipway.events.Topic;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.pipeline.Stage;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TopicProbe;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's couplings, policies and secrets, its updates and its deletion, as others see them.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class PipelineLifecycleTest {

  @Inject AgroalDataSource dataSource;

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void pipelineWithCouplingsIsUpdatedThenDeletedAndEveryStepIsPublishedEndingInATombstone() {
    String s = suffix();
    String id =
        admin()
            .body(
                Map.of(
                    "name",
                    "shop-" + s,
                    "repository_url",
                    "https://github.com/acme/shop",
                    "webhook_secret",
                    "0123456789abcdef-secret",
                    "couplings",
                    List.of(
                        Map.of("stage", "staging", "app_name", "shop-staging-" + s),
                        Map.of("stage", "production", "app_name", "shop-" + s)),
                    "config_vars",
                    Map.of("review", Map.of("API_KEY", "review-only-value"))))
            .post("/pipelines")
            .then()
            .statusCode(201)
            .body("webhook_secret_set", equalTo(true))
            .body("forge_token_set", equalTo(false))
            .body("$", not(hasKey("webhook_secret")))
            .body("couplings[1].app_name", equalTo("shop-" + s))
            .body("config_vars.review.API_KEY", equalTo("[redacted]"))
            .body("auto_deploy.wait_for_ci", equalTo(true))
            .extract()
            .path("id");

    admin()
        .body(
            Map.of(
                "auto_deploy",
                Map.of("wait_for_ci", false),
                "promotion_policy",
                Map.of("required_approvals", 2)))
        .patch("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("auto_deploy.wait_for_ci", equalTo(false))
        .body("auto_deploy.enabled", equalTo(true))
        .body("promotion_policy.required_approvals", equalTo(2))
        .body("couplings.size()", equalTo(2));

    admin().delete("/pipelines/" + id).then().statusCode(204);
    admin().get("/pipelines/" + id).then().statusCode(404);

    List<ConsumerRecord<String, byte[]>> records =
        TopicProbe.findAll(
            SlipwayInfrastructure.get().bootstrapServers(),
            Topic.PIPELINES.topicName(),
            id,
            4,
            PATIENCE);
    CloudEvent created = TopicProbe.cloudEvent(records.get(0));
    CloudEvent updated = TopicProbe.cloudEvent(records.get(1));
    CloudEvent deleted = TopicProbe.cloudEvent(records.get(2));
    assertEquals(EventType.PIPELINE_CREATED.type(), created.type());
    assertEquals(EventType.PIPELINE_UPDATED.type(), updated.type());
    assertEquals(EventType.PIPELINE_DELETED.type(), deleted.type());
    List.of(created, updated, deleted).forEach(SchemaValidation::assertValid);
    PipelineSnapshot snapshot = EventCodec.decode(created, PipelineSnapshot.class);
    assertEquals(Stage.PRODUCTION, snapshot.couplings().get(1).stage());
    assertFalse(EventCodec.decode(updated, PipelineSnapshot.class).autoDeploy().waitForCi());
    SecretBox platformKey = SecretBox.fromBase64Key(SlipwayInfrastructure.SECRETS_KEY);
    assertEquals(
        "0123456789abcdef-secret",
        platformKey.open(
            snapshot.sealed().webhookSecret(), id, PipelineSnapshot.Sealed.WEBHOOK_SECRET),
        "services holding the platform key open the sealed webhook secret");
    for (ConsumerRecord<String, byte[]> r : records.subList(0, 3)) {
      String body = new String(r.value(), StandardCharsets.UTF_8);
      assertFalse(body.contains("0123456789abcdef-secret"), "webhook secret leaked into " + body);
      assertFalse(body.contains("review-only-value"), "config var value leaked into " + body);
    }
    assertNull(records.get(3).value(), "the last record of a deleted pipeline is a tombstone");
  }

  @Test
  void appCoupledToAnotherPipelineIsAConflictAndChangesNothing() {
    String s = suffix();
    String app = "api-" + s;
    admin()
        .body(
            Map.of(
                "name",
                "one-" + s,
                "repository_url",
                "https://github.com/acme/one.git",
                "couplings",
                List.of(Map.of("stage", "production", "app_name", app))))
        .post("/pipelines")
        .then()
        .statusCode(201);
    admin()
        .body(
            Map.of(
                "name",
                "two-" + s,
                "repository_url",
                "https://github.com/acme/two.git",
                "couplings",
                List.of(Map.of("stage", "staging", "app_name", app))))
        .post("/pipelines")
        .then()
        .statusCode(409)
        .body("field", equalTo("couplings"));
    admin()
        .get("/pipelines")
        .then()
        .statusCode(200)
        .body("find { it.name == 'two-" + s + "' }", nullValue());
  }

  @Test
  void badCouplingStageAndConfigVarNameAreRefusedNamingTheField() {
    admin()
        .body(
            Map.of(
                "name",
                "bad-" + suffix(),
                "repository_url",
                "https://github.com/acme/bad.git",
                "couplings",
                List.of(Map.of("stage", "qa", "app_name", "bad-app"))))
        .post("/pipelines")
        .then()
        .statusCode(400)
        .body("field", equalTo("couplings[0].stage"));
    admin()
        .body(Map.of("repository_url", "https://github.com/acme/x"))
        .post("/pipelines")
        .then()
        .statusCode(400)
        .body("field", equalTo("name"));
  }

  @Test
  void pipelineSecretsAreStoredSealedUnderThePlatformKeyAndStillReachTheOtherServices()
      throws Exception {
    String s = suffix();
    String id =
        admin()
            .body(
                Map.of(
                    "name",
                    "vault-" + s,
                    "repository_url",
                    "https://github.com/acme/vault",
                    "webhook_secret",
                    "webhook-secret-" + s + "-0123456789",
                    "forge_token",
                    "forge-token-" + s,
                    "config_vars",
                    Map.of(
                        "test", Map.of("DB_PASSWORD", "test-var-" + s),
                        "review", Map.of("API_KEY", "review-var-" + s))))
            .post("/pipelines")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    String row = row(id);
    for (String secret :
        List.of(
            "webhook-secret-" + s + "-0123456789",
            "forge-token-" + s,
            "test-var-" + s,
            "review-var-" + s)) {
      assertFalse(row.contains(secret), "plain text in the pipeline table: " + row);
    }
    SecretBox platformKey = SecretBox.fromBase64Key(SlipwayInfrastructure.SECRETS_KEY);
    assertEquals(
        "forge-token-" + s,
        platformKey.open(column(id, "forge_token"), id, PipelineSnapshot.Sealed.FORGE_TOKEN),
        "the stored forge token opens with the platform key");

    admin()
        .body(Map.of("branch", "trunk"))
        .patch("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("webhook_secret_set", equalTo(true))
        .body("config_vars.test.DB_PASSWORD", equalTo("[redacted]"));
    List<ConsumerRecord<String, byte[]>> records =
        TopicProbe.findAll(
            SlipwayInfrastructure.get().bootstrapServers(),
            Topic.PIPELINES.topicName(),
            id,
            2,
            PATIENCE);
    PipelineSnapshot updated =
        EventCodec.decode(TopicProbe.cloudEvent(records.get(1)), PipelineSnapshot.class);
    assertEquals(
        "webhook-secret-" + s + "-0123456789",
        platformKey.open(
            updated.sealed().webhookSecret(), id, PipelineSnapshot.Sealed.WEBHOOK_SECRET),
        "a change re-publishes the secret it read back from the table");
    assertEquals(
        "{\"DB_PASSWORD\":\"test-var-" + s + "\"}",
        platformKey.open(
            updated.sealed().testConfigVars(), id, PipelineSnapshot.Sealed.TEST_CONFIG_VARS));
  }

  @Test
  void pipelineSecretsStoredInPlainTextBeforeAreSealedByTheMigrationOnceAndStillUsable()
      throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement q = c.createStatement();
        ResultSet applied =
            q.executeQuery(
                "SELECT success FROM flyway_schema_history WHERE script = '"
                    + V5__Seal_stored_pipeline_secrets.class.getName()
                    + "'")) {
      assertTrue(applied.next() && applied.getBoolean(1), "Flyway ran the sealing migration");
    }
    String id = UUID.randomUUID().toString();
    String name = "legacy-" + suffix();
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO pipeline (id, name, repository_url, forge, branch, created_at,"
                    + " updated_at, webhook_secret, forge_token, test_config_vars)"
                    + " VALUES (?::uuid, ?, 'https://github.com/acme/legacy', 'github', 'main',"
                    + " now(), now(), 'legacy-webhook-secret-0123', 'legacy-forge-token',"
                    + " '{\"DB_PASSWORD\":\"legacy-var\"}')")) {
      insert.setString(1, id);
      insert.setString(2, name);
      insert.executeUpdate();
      V5__Seal_stored_pipeline_secrets.sealPlaintext(c);
    }
    String row = row(id);
    for (String secret :
        List.of("legacy-webhook-secret-0123", "legacy-forge-token", "legacy-var")) {
      assertFalse(row.contains(secret), "plain text left in the pipeline table: " + row);
    }
    String sealedToken = column(id, "forge_token");
    try (Connection c = dataSource.getConnection()) {
      V5__Seal_stored_pipeline_secrets.sealPlaintext(c);
    }
    assertEquals(sealedToken, column(id, "forge_token"), "a sealed value is not sealed twice");

    admin()
        .get("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("webhook_secret_set", equalTo(true))
        .body("forge_token_set", equalTo(true))
        .body("config_vars.test.DB_PASSWORD", equalTo("[redacted]"));
  }

  /** The pipeline's whole row as PostgreSQL prints it. */
  private String row(String id) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement("SELECT p::text FROM pipeline p WHERE id = ?::uuid")) {
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        assertTrue(rs.next(), "pipeline " + id + " is stored");
        return rs.getString(1);
      }
    }
  }

  private String column(String id, String column) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement("SELECT " + column + " FROM pipeline WHERE id = ?::uuid")) {
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        assertTrue(rs.next());
        return rs.getString(1);
      }
    }
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN).contentType(ContentType.JSON);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}

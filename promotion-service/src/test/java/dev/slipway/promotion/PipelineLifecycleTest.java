package dev.slipway.promotion;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
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

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().oauth2(SlipwayInfrastructure.ADMIN_TOKEN).contentType(ContentType.JSON);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}

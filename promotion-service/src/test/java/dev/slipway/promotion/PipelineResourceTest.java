package dev.slipway.promotion;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventType;
import dev.slipway.events.SchemaValidation;
import dev.slipway.events.Topic;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestTokens;
import dev.slipway.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Creating a pipeline stores it and publishes its snapshot on the compacted pipelines topic. */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
class PipelineResourceTest {

  @Test
  void createdPipelineIsPublishedOnThePipelinesTopicKeyedByItsId() throws Exception {
    String name = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    String id =
        createAsAdmin(Map.of("name", name, "repository_url", "https://github.com/acme/shop"))
            .statusCode(201)
            .header("Location", containsString("/pipelines/"))
            .body("name", equalTo(name))
            .body("forge", equalTo("github"))
            .body("branch", equalTo("main"))
            .extract()
            .path("id");

    ConsumerRecord<String, byte[]> record =
        TopicProbe.find(
            SlipwayInfrastructure.get().bootstrapServers(),
            Topic.PIPELINES.topicName(),
            id,
            Duration.ofSeconds(30));
    CloudEvent event = TopicProbe.cloudEvent(record);
    assertEquals(EventType.PIPELINE_CREATED.type(), event.type());
    assertEquals("urn:slipway:promotion-service", event.source());
    SchemaValidation.assertValid(event);
    PipelineSnapshot snapshot = EventCodec.decode(event, PipelineSnapshot.class);
    assertEquals(name, snapshot.name());
    assertEquals("https://github.com/acme/shop", snapshot.repositoryUrl());

    given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .when()
        .get("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("repository_url", equalTo("https://github.com/acme/shop"));
  }

  @Test
  void invalidPipelineIsRefusedNamingTheFieldAndNothingIsStored() {
    String name = "Bad Name";
    createAsAdmin(Map.of("name", name, "repository_url", "https://github.com/acme/x"))
        .statusCode(400)
        .body("field", equalTo("name"));
    createAsAdmin(
            Map.of("name", "leaky", "repository_url", "https://user:secret@github.com/acme/x"))
        .statusCode(400)
        .body("field", equalTo("repository_url"))
        .body("message", not(containsString("secret")));
    given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .when()
        .get("/pipelines")
        .then()
        .statusCode(200)
        .body("name", not(hasItem("leaky")));
  }

  @Test
  void secondPipelineWithTheSameNameIsAConflict() {
    String name = "dup-" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, String> body =
        Map.of("name", name, "repository_url", "https://gitlab.com/acme/dup.git");
    createAsAdmin(body).statusCode(201).body("forge", equalTo("gitlab"));
    createAsAdmin(body).statusCode(409).body("field", equalTo("name"));
  }

  @Test
  void viewerMayReadPipelinesButNotCreateThem() {
    String viewer = TestTokens.issue("viewer").token();
    given().auth().oauth2(viewer).when().get("/pipelines").then().statusCode(200);
    given()
        .auth()
        .oauth2(viewer)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "nope", "repository_url", "https://github.com/acme/nope.git"))
        .when()
        .post("/pipelines")
        .then()
        .statusCode(403);
  }

  private static ValidatableResponse createAsAdmin(Object body) {
    return given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/pipelines")
        .then();
  }
}

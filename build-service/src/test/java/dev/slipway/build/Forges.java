package dev.slipway.build;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.build.webhook.WebhookSignatures;
import dev.slipway.events.EventType;
import dev.slipway.events.SecretBox;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.testkit.SlipwayInfrastructure;
import dev.slipway.testkit.TestEvents;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * A forge as tests play it: registers pipelines the way promotion-service announces them, and sends
 * the real webhook payloads (adapted to the test's repository), signed or not.
 */
final class Forges {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ZEROS = "0000000000000000000000000000000000000000";

  private Forges() {}

  /** Publishes a pipeline with a sealed webhook secret and waits until the service knows it. */
  static String registerPipeline(String name, String repositoryUrl, String branch, String secret) {
    String id = publishPipeline(name, repositoryUrl, branch, secret);
    // Known once the intake neither says "no pipeline" nor "catching up".
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              int status =
                  github(
                          id,
                          "ping",
                          fixture("github/ping.json"),
                          secret,
                          UUID.randomUUID().toString())
                      .statusCode();
              return status != 404 && status != 503;
            });
    return id;
  }

  /**
   * Publishes a pipeline's creation as promotion-service would, with {@code secret} as its webhook
   * secret (none when null); returns its id without waiting for build-service to read it.
   */
  static String publishPipeline(String name, String repositoryUrl, String branch, String secret) {
    String id = UUID.randomUUID().toString();
    SecretBox box = SecretBox.fromBase64Key(SlipwayInfrastructure.SECRETS_KEY);
    TestEvents.publish(
        "urn:slipway:promotion-service",
        EventType.PIPELINE_CREATED,
        new PipelineSnapshot(
            id,
            name,
            repositoryUrl,
            Forge.GITHUB,
            branch,
            List.of(),
            new PipelineSnapshot.AutoDeploy(true, branch, true),
            new PipelineSnapshot.ReviewApps(true, true, 5),
            Instant.now(),
            new PipelineSnapshot.Sealed(
                secret == null
                    ? null
                    : box.seal(secret, id, PipelineSnapshot.Sealed.WEBHOOK_SECRET),
                null,
                null,
                null)));
    return id;
  }

  static ObjectNode fixture(String path) {
    try (InputStream in = Forges.class.getResourceAsStream("/forge-payloads/" + path)) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GitHub's push payload for {@code ref}, pointed at {@code repositoryUrl}. */
  static ObjectNode githubPush(String repositoryUrl, String ref, String before, String after) {
    ObjectNode push = fixture("github/push-branch-created.json");
    push.put("ref", ref).put("before", before).put("after", after);
    push.put("deleted", ZEROS.equals(after)).put("created", ZEROS.equals(before));
    pointAt((ObjectNode) push.get("repository"), repositoryUrl);
    return push;
  }

  /** GitHub's pull_request payload; {@code fork} makes the head live in another repository. */
  static ObjectNode githubPullRequest(
      String action,
      String repositoryUrl,
      int number,
      String headBranch,
      String headSha,
      boolean fork) {
    ObjectNode event =
        fixture(
            action.equals("closed")
                ? "github/pull_request-closed.json"
                : action.equals("synchronize")
                    ? "github/pull_request-synchronize.json"
                    : "github/pull_request-opened.json");
    event.put("action", action).put("number", number);
    ObjectNode pr = (ObjectNode) event.get("pull_request");
    pr.put("number", number).put("html_url", "https://forge.example/acme/app/pull/" + number);
    ObjectNode head = (ObjectNode) pr.get("head");
    head.put("ref", headBranch).put("sha", headSha);
    ObjectNode base = (ObjectNode) pr.get("base");
    base.put("ref", "main");
    pointAt((ObjectNode) event.get("repository"), repositoryUrl);
    pointAt((ObjectNode) base.get("repo"), repositoryUrl);
    pointAt((ObjectNode) head.get("repo"), repositoryUrl);
    ((ObjectNode) base.get("repo")).put("full_name", "acme/app");
    ((ObjectNode) head.get("repo")).put("full_name", fork ? "stranger/app" : "acme/app");
    return event;
  }

  private static void pointAt(ObjectNode repository, String url) {
    for (String field : List.of("html_url", "clone_url", "ssh_url", "url", "git_url", "svn_url")) {
      repository.put(field, url);
    }
  }

  static Response github(
      String pipeline, String event, JsonNode body, String secret, String delivery) {
    return githubDelivery(
        pipeline,
        "application/json",
        event,
        delivery,
        body.toString().getBytes(StandardCharsets.UTF_8),
        secret);
  }

  /**
   * A GitHub delivery of {@code body} exactly as given, with this content type, signed with {@code
   * secret} unless null; a null event or delivery id leaves that header out.
   */
  static Response githubDelivery(
      String pipeline,
      String contentType,
      String event,
      String delivery,
      byte[] body,
      String secret) {
    var request =
        given()
            .config(
                RestAssured.config()
                    .encoderConfig(
                        // Sent as the bytes given: they are what the signature covers.
                        EncoderConfig.encoderConfig()
                            .encodeContentTypeAs(contentType, ContentType.BINARY)
                            .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
            .contentType(contentType)
            .body(body);
    if (event != null) {
      request = request.header("X-GitHub-Event", event);
    }
    if (delivery != null) {
      request = request.header("X-GitHub-Delivery", delivery);
    }
    if (secret != null) {
      request =
          request.header("X-Hub-Signature-256", WebhookSignatures.gitHubSignature(body, secret));
    }
    return request.post("/webhooks/github/" + pipeline);
  }

  /** GitHub's form-encoded delivery: the event's JSON in a {@code payload} field. */
  static byte[] form(JsonNode payload) {
    return ("payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
  }

  static Response gitlab(
      String pipeline, String event, JsonNode body, String token, String delivery) {
    var request =
        given()
            .contentType("application/json")
            .header("X-Gitlab-Event", event)
            .header("X-Gitlab-Event-UUID", delivery)
            .body(body.toString().getBytes(StandardCharsets.UTF_8));
    if (token != null) {
      request = request.header("X-Gitlab-Token", token);
    }
    return request.post("/webhooks/gitlab/" + pipeline);
  }
}

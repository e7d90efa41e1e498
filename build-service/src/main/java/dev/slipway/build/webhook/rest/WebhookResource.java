package dev.slipway.build.webhook.rest;

import dev.slipway.build.webhook.Delivery;
import dev.slipway.build.webhook.IntakeResult;
import dev.slipway.build.webhook.WebhookIntake;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /webhooks/github/{pipeline}} and {@code /webhooks/gitlab/{pipeline}}: where a forge sends
 * pushes and pull requests. Authenticated by the pipeline's webhook secret, not by an API token.
 */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class WebhookResource {

  private final WebhookIntake intake;
  private final MeterRegistry registry;

  public WebhookResource(WebhookIntake intake, MeterRegistry registry) {
    this.intake = intake;
    this.registry = registry;
  }

  @POST
  @Path("/github/{pipeline}")
  @PermitAll
  @Operation(
      summary = "Receive a GitHub webhook delivery",
      description =
          "Point the repository's webhook (content type application/json or"
              + " application/x-www-form-urlencoded, events push and pull_request) at this URL"
              + " with the pipeline's webhook secret.")
  @APIResponse(responseCode = "202", description = "Recorded; a build was queued or why not")
  @APIResponse(responseCode = "200", description = "ping, or a redelivery: nothing done again")
  @APIResponse(responseCode = "401", description = "Missing or wrong X-Hub-Signature-256")
  @APIResponse(responseCode = "404", description = "Unknown pipeline or repository")
  @APIResponse(responseCode = "413", description = "Body above the size limit")
  public Uni<Response> github(
      @Parameter(description = "pipeline id or name") @PathParam("pipeline") String pipeline,
      @HeaderParam("X-GitHub-Event") String event,
      @HeaderParam("X-GitHub-Delivery") String deliveryId,
      @HeaderParam("X-Hub-Signature-256") String signature,
      @HeaderParam("Content-Type") String contentType,
      byte[] body) {
    return receive(
        pipeline,
        new Delivery(
            Delivery.Forge.GITHUB, event, deliveryId, signature, orEmpty(body), contentType));
  }

  @POST
  @Path("/gitlab/{pipeline}")
  @PermitAll
  @Operation(
      summary = "Receive a GitLab webhook delivery",
      description =
          "Set the project's webhook URL to this and its secret token to the pipeline's webhook"
              + " secret; enable push and merge request events.")
  @APIResponse(responseCode = "202", description = "Recorded; a build was queued or why not")
  @APIResponse(responseCode = "200", description = "A redelivery: nothing done again")
  @APIResponse(responseCode = "401", description = "Missing or wrong X-Gitlab-Token")
  @APIResponse(responseCode = "404", description = "Unknown pipeline or repository")
  @APIResponse(responseCode = "413", description = "Body above the size limit")
  public Uni<Response> gitlab(
      @Parameter(description = "pipeline id or name") @PathParam("pipeline") String pipeline,
      @HeaderParam("X-Gitlab-Event") String event,
      @HeaderParam("X-Gitlab-Event-UUID") String deliveryId,
      @HeaderParam("X-Gitlab-Token") String token,
      @HeaderParam("Content-Type") String contentType,
      byte[] body) {
    return receive(
        pipeline,
        new Delivery(Delivery.Forge.GITLAB, event, deliveryId, token, orEmpty(body), contentType));
  }

  private Uni<Response> receive(String pipeline, Delivery delivery) {
    String forge = delivery.forge().name().toLowerCase(Locale.ROOT);
    return intake
        .receive(pipeline, delivery)
        .onItemOrFailure()
        .invoke((r, e) -> count(forge, r, e))
        .map(
            r ->
                Response.status(
                        r.outcome() == IntakeResult.Outcome.DUPLICATE
                                || r.outcome() == IntakeResult.Outcome.PONG
                            ? 200
                            : 202)
                    .entity(WebhookResponse.of(r))
                    .build());
  }

  private static byte[] orEmpty(byte[] body) {
    return body == null ? new byte[0] : body;
  }

  private void count(String forge, IntakeResult result, Throwable failure) {
    String outcome =
        result != null
            ? result.outcome().name().toLowerCase(Locale.ROOT)
            : WebhookErrorMapper.resultName(failure);
    registry.counter("slipway.webhook.deliveries", "forge", forge, "result", outcome).increment();
  }
}

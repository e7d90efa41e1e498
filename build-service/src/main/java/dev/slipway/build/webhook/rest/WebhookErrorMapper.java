package dev.slipway.build.webhook.rest;

import dev.slipway.build.webhook.WebhookPayloadException;
import dev.slipway.build.webhook.WebhookRejectedException;
import dev.slipway.platform.rest.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers refused deliveries: 401 bad signature, 404 unknown, 413 too large, 400 bad payload, 503
 * catching up.
 */
public class WebhookErrorMapper {

  private static final int RETRY_AFTER_SECONDS = 2;

  @ServerExceptionMapper
  public Response rejected(WebhookRejectedException e) {
    int status =
        switch (e.reason()) {
          case BAD_SIGNATURE -> 401;
          case UNKNOWN_PIPELINE, UNKNOWN_REPOSITORY -> 404;
          case TOO_LARGE -> 413;
          case CATCHING_UP -> 503;
        };
    Response.ResponseBuilder answer =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ApiError(status, e.getMessage(), null));
    if (e.reason() == WebhookRejectedException.Reason.CATCHING_UP) {
      answer.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    return answer.build();
  }

  @ServerExceptionMapper
  public Response badPayload(WebhookPayloadException e) {
    return json(400, new ApiError(400, e.getMessage(), e.field()));
  }

  static String resultName(Throwable failure) {
    if (failure instanceof WebhookRejectedException r) {
      return r.reason().name().toLowerCase(Locale.ROOT);
    }
    if (failure instanceof WebhookPayloadException) {
      return "bad_payload";
    }
    return "error";
  }

  private static Response json(int status, ApiError error) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
  }
}

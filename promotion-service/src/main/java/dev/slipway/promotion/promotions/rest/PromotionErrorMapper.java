package dev.slipway.promotion.promotions.rest;

import dev.slipway.platform.rest.ApiError;
import dev.slipway.promotion.promotions.PromotionRefusedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers a refused promotion with its status and the field at fault. */
public class PromotionErrorMapper {

  @ServerExceptionMapper
  public Response refused(PromotionRefusedException e) {
    Response.ResponseBuilder answer =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ApiError(e.status(), e.getMessage(), e.field()));
    if (e.status() == 503) {
      answer.header("Retry-After", "2");
    }
    return answer.build();
  }
}

package dev.slipway.deploy.releases.rest;

import dev.slipway.deploy.releases.ReleaseRefusedException;
import dev.slipway.platform.rest.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers a refused app or release change with its status and the field at fault. */
public class ReleaseErrorMapper {

  @ServerExceptionMapper
  public Response refused(ReleaseRefusedException e) {
    return Response.status(e.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(e.status(), e.getMessage(), e.field()))
        .build();
  }
}

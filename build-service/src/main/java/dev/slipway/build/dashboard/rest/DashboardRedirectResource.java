package dev.slipway.build.dashboard.rest;

import dev.slipway.platform.rest.ApiException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /}: sends a browser to the dashboard (promotion-service serves it), so that the first
 * port of {@code slipway up} opens it.
 */
@Path("/")
@Tag(name = "Dashboard")
public class DashboardRedirectResource {

  private final Optional<URI> dashboard;

  public DashboardRedirectResource(
      @ConfigProperty(name = "slipway.dashboard.url") Optional<URI> dashboard) {
    this.dashboard = dashboard;
  }

  @GET
  @PermitAll
  @Operation(summary = "Redirect to the dashboard, where one is configured")
  public Response dashboard() {
    return Response.seeOther(
            dashboard.orElseThrow(
                () -> ApiException.notFound("no dashboard configured (slipway.dashboard.url)")))
        .build();
  }
}

package dev.slipway.promotion.history.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.promotion.history.Dora;
import dev.slipway.promotion.history.DoraWindow;
import dev.slipway.promotion.history.Overviews;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /pipelines/{id}/overview} and {@code /pipelines/{id}/metrics/dora}, read from events. */
@Path("/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines")
public class HistoryResource {

  private final Overviews overviews;
  private final Dora dora;

  public HistoryResource(Overviews overviews, Dora dora) {
    this.overviews = overviews;
    this.dora = dora;
  }

  @GET
  @Path("/{id}/overview")
  @RolesAllowed(Roles.VIEWER)
  @Operation(
      summary = "What runs in each stage, review apps, builds, and what a promotion would ship")
  public Uni<OverviewResponse> overview(@PathParam("id") UUID id) {
    return overviews.of(id).map(o -> OverviewResponse.of(o.orElseThrow(() -> noPipeline(id))));
  }

  @GET
  @Path("/{id}/metrics/dora")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "DORA keys of the pipeline's production apps over a window ending now")
  public Uni<DoraResponse> dora(
      @PathParam("id") UUID id, @QueryParam("window") @DefaultValue("30d") String window) {
    DoraWindow parsed;
    try {
      parsed = DoraWindow.parse(window);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("window", e.getMessage());
    }
    return dora.of(id, parsed).map(m -> DoraResponse.of(m.orElseThrow(() -> noPipeline(id))));
  }

  private static ApiException noPipeline(UUID id) {
    return ApiException.notFound("no pipeline " + id);
  }
}

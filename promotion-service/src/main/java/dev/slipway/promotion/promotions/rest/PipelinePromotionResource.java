package dev.slipway.promotion.promotions.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.promotion.promotions.Promotions;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /pipelines/{id}/promotions}: request a promotion, and the pipeline's promotion history.
 */
@Path("/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Promotions")
public class PipelinePromotionResource {

  private final Promotions promotions;
  private final SecurityIdentity identity;

  public PipelinePromotionResource(Promotions promotions, SecurityIdentity identity) {
    this.promotions = promotions;
    this.identity = identity;
  }

  @POST
  @Path("/{id}/promotions")
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(
      summary =
          "Promote a release (default: the source app's current one) to the next stage's apps"
              + " (or the given targets) once its gates pass")
  public Uni<Response> create(
      @PathParam("id") UUID pipelineId, @Valid @NotNull CreatePromotionRequest request) {
    Optional<Integer> version =
        Optional.ofNullable(request.source().release())
            .map(r -> Integer.parseInt(r.startsWith("v") ? r.substring(1) : r));
    return promotions
        .create(
            pipelineId,
            request.source().app(),
            version,
            request.targets() == null ? List.of() : request.targets(),
            identity.getPrincipal().getName())
        .map(
            v ->
                Response.created(URI.create("/promotions/" + v.promotion().id()))
                    .entity(PromotionResponse.of(v))
                    .build());
  }

  @GET
  @Path("/{id}/promotions")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The pipeline's promotions, newest first")
  public Uni<List<PromotionResponse>> history(
      @PathParam("id") UUID pipelineId,
      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
    return promotions
        .history(pipelineId, limit)
        .map(all -> all.stream().map(PromotionResponse::of).toList());
  }
}

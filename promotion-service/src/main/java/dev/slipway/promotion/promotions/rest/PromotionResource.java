package dev.slipway.promotion.promotions.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.promotion.promotions.Promotions;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /promotions/{id}}: follow a promotion and approve it. */
@Path("/promotions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Promotions")
public class PromotionResource {

  private final Promotions promotions;
  private final SecurityIdentity identity;

  public PromotionResource(Promotions promotions, SecurityIdentity identity) {
    this.promotions = promotions;
    this.identity = identity;
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Show a promotion, its targets and its gates")
  public Uni<PromotionResponse> get(@PathParam("id") UUID id) {
    return promotions
        .find(id)
        .map(
            v ->
                PromotionResponse.of(
                    v.orElseThrow(() -> ApiException.notFound("no promotion " + id))));
  }

  @POST
  @Path("/{id}/approvals")
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Approve a pending promotion")
  public Uni<Response> approve(@PathParam("id") UUID id) {
    return promotions
        .approve(id, identity.getPrincipal().getName())
        .map(v -> Response.status(201).entity(PromotionResponse.of(v)).build());
  }
}

package dev.slipway.platform.auth.rest;

import dev.slipway.platform.auth.ApiTokens;
import dev.slipway.platform.auth.Role;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API to issue, list and revoke the bearer tokens of this service. */
@Path("/api-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "API tokens")
@RolesAllowed(Roles.ADMIN)
public class ApiTokenResource {

  private final ApiTokens tokens;

  public ApiTokenResource(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @POST
  @Operation(summary = "Issue a token; its value is shown only in this answer")
  public Uni<Response> issue(@Valid @NotNull CreateApiTokenRequest request) {
    Role role =
        Role.parse(request.role())
            .orElseThrow(() -> ApiException.badField("role", "must be viewer, developer or admin"));
    return tokens
        .issue(request.name().trim(), role)
        .map(
            issued ->
                Response.status(201)
                    .entity(ApiTokenResponse.of(issued.token(), issued.plaintext()))
                    .build());
  }

  @GET
  @Operation(summary = "List tokens (never their values)")
  public Uni<List<ApiTokenResponse>> list() {
    return tokens.list().map(all -> all.stream().map(t -> ApiTokenResponse.of(t, null)).toList());
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Revoke a token")
  public Uni<Response> revoke(@PathParam("id") UUID id) {
    return tokens
        .revoke(id)
        .map(
            found -> {
              if (!found) {
                throw ApiException.notFound("no API token " + id);
              }
              return Response.noContent().build();
            });
  }
}

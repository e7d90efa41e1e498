package dev.slipway.deploy.addons.rest;

import dev.slipway.deploy.addons.Addons;
import dev.slipway.deploy.releases.Release;
import dev.slipway.deploy.releases.runner.ReleaseWorkers;
import dev.slipway.platform.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /apps/{app}/addons}: provision, list and destroy an app's add-ons. */
@Path("/apps/{app}/addons")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Add-ons")
public class AddonResource {

  private final Addons addons;
  private final ReleaseWorkers workers;
  private final SecurityIdentity identity;

  public AddonResource(Addons addons, ReleaseWorkers workers, SecurityIdentity identity) {
    this.addons = addons;
    this.workers = workers;
    this.identity = identity;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(
      summary = "Provision an add-on",
      description =
          "heroku-postgresql: a database with its own login role, attached as DATABASE_URL in a"
              + " new release (when the app has one).")
  public Uni<Response> create(@PathParam("app") String app, AddonRequest request) {
    return addons
        .create(app, request == null ? null : request.plan(), identity.getPrincipal().getName())
        .invoke(c -> c.release().ifPresent(r -> workers.wake()))
        .map(
            c ->
                Response.status(201)
                    .entity(
                        AddonResponse.of(c.addon(), c.release().map(Release::version).orElse(null)))
                    .build());
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The app's add-ons (names and plans; URLs stay in the config vars)")
  public Uni<List<AddonResponse>> list(@PathParam("app") String app) {
    return addons.list(app).map(list -> list.stream().map(a -> AddonResponse.of(a, null)).toList());
  }

  @DELETE
  @Path("/{name}")
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(
      summary = "Destroy an add-on",
      description = "Detaches it in a new release (when the app has one), then drops its database.")
  public Uni<Map<String, Object>> destroy(
      @PathParam("app") String app, @PathParam("name") String name) {
    return addons
        .destroy(app, name, identity.getPrincipal().getName())
        .invoke(r -> r.ifPresent(x -> workers.wake()))
        .map(
            r ->
                r.<Map<String, Object>>map(x -> Map.of("name", name, "release", x.version()))
                    .orElseGet(() -> Map.of("name", name)));
  }
}

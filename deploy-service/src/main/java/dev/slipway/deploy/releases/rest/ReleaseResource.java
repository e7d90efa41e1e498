package dev.slipway.deploy.releases.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.deploy.releases.Release;
import dev.slipway.deploy.releases.ReleaseRefusedException;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.deploy.releases.runner.ReleaseWorkers;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /apps/{app}/releases}: an app's releases, and rollback. */
@Path("/apps/{app}/releases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Releases")
public class ReleaseResource {

  private final Releases releases;
  private final ReleaseWorkers workers;
  private final SecurityIdentity identity;

  public ReleaseResource(Releases releases, ReleaseWorkers workers, SecurityIdentity identity) {
    this.releases = releases;
    this.workers = workers;
    this.identity = identity;
  }

  /** {@code POST /apps/{app}/releases}: Heroku's {@code releases:rollback}. */
  @Schema(name = "RollbackRequest")
  public record RollbackRequest(
      @Schema(example = "v7")
          @JsonProperty("rollback_to")
          @NotNull
          @Pattern(regexp = "v?[1-9][0-9]{0,8}", message = "must be a release version like v7")
          String rollbackTo) {}

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The app's releases, newest first; the current one is marked")
  public Uni<List<ReleaseResponse>> list(@PathParam("app") String app) {
    return releases
        .list(app)
        .flatMap(
            list ->
                releases
                    .current(app)
                    .map(
                        current ->
                            list.stream()
                                .map(r -> ReleaseResponse.of(r, isCurrent(r, current)))
                                .toList()));
  }

  @GET
  @Path("/{version}")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "One release, by version (7 or v7)")
  public Uni<ReleaseResponse> get(
      @PathParam("app") String app, @PathParam("version") String version) {
    int v = version(version, "version");
    return releases
        .find(app, v)
        .flatMap(
            r ->
                releases
                    .current(app)
                    .map(
                        current ->
                            ReleaseResponse.of(
                                r.orElseThrow(
                                    () -> ApiException.notFound(app + " has no release v" + v)),
                                isCurrent(r.get(), current))));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Roll back: a new release with an earlier release's artifact and config")
  public Uni<Response> rollback(
      @PathParam("app") String app, @Valid @NotNull RollbackRequest request) {
    return releases
        .rollback(
            app, version(request.rollbackTo(), "rollback_to"), identity.getPrincipal().getName())
        .invoke(r -> workers.wake())
        .map(r -> Response.status(201).entity(ReleaseResponse.of(r, false)).build());
  }

  private static boolean isCurrent(Release r, Optional<Release> current) {
    return current.map(c -> c.id().equals(r.id())).orElse(false);
  }

  private static int version(String text, String field) {
    try {
      return Integer.parseInt(text.startsWith("v") ? text.substring(1) : text);
    } catch (NumberFormatException e) {
      throw new ReleaseRefusedException(400, field, field + ": must be a release version like v7");
    }
  }
}

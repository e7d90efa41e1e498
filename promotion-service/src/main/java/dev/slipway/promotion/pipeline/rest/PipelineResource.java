package dev.slipway.promotion.pipeline.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.auth.rest.BodyGuard;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.promotion.pipeline.PipelineConflictException;
import dev.slipway.promotion.pipeline.Pipelines;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /pipelines}: create, read, change and delete pipelines. */
@Path("/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines")
public class PipelineResource {

  private final Pipelines pipelines;
  private final UrlPolicy urlPolicy;
  private final BodyGuard guard;

  public PipelineResource(Pipelines pipelines, UrlPolicy urlPolicy, BodyGuard guard) {
    this.pipelines = pipelines;
    this.urlPolicy = urlPolicy;
    this.guard = guard;
  }

  // A new pipeline brings its whole security posture (repository, forge credentials, policy).
  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Create a pipeline following a git repository")
  public Uni<Response> create(@NotNull PipelineRequest request) {
    guard.check(request);
    PipelineRequests.checkOutbound(urlPolicy, request.repositoryUrl());
    return pipelines
        .create(PipelineRequests.newSpec(request))
        .map(
            p ->
                Response.created(URI.create("/pipelines/" + p.id()))
                    .entity(PipelineResponse.of(p))
                    .build())
        .onFailure(PipelineConflictException.class)
        .transform(PipelineResource::conflict);
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "List pipelines")
  public Uni<List<PipelineResponse>> list() {
    return pipelines.list().map(all -> all.stream().map(PipelineResponse::of).toList());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Show a pipeline")
  public Uni<PipelineResponse> get(@PathParam("id") UUID id) {
    return pipelines.find(id).map(p -> PipelineResponse.of(p.orElseThrow(() -> notFound(id))));
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(
      summary = "Change a pipeline; fields present replace the stored ones",
      description =
          "repository_url, forge, webhook_secret, forge_token and promotion_policy are admin-only.")
  public Uni<PipelineResponse> update(@PathParam("id") UUID id, @NotNull PipelineRequest request) {
    guard.check(request);
    PipelineRequests.checkOutbound(urlPolicy, request.repositoryUrl());
    return pipelines
        .update(id, spec -> PipelineRequests.patched(spec, request))
        .map(p -> PipelineResponse.of(p.orElseThrow(() -> notFound(id))))
        .onFailure(PipelineConflictException.class)
        .transform(PipelineResource::conflict);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete a pipeline (its apps are uncoupled, not destroyed)")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    return pipelines
        .delete(id)
        .map(
            found -> {
              if (!found) {
                throw notFound(id);
              }
              return Response.noContent().build();
            });
  }

  private static ApiException notFound(UUID id) {
    return ApiException.notFound("no pipeline " + id);
  }

  private static Throwable conflict(Throwable e) {
    PipelineConflictException c = (PipelineConflictException) e;
    return new ApiException(409, c.field(), c.getMessage());
  }
}

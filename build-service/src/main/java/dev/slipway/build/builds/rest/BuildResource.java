package dev.slipway.build.builds.rest;

import dev.slipway.build.builds.BuildPhase;
import dev.slipway.build.builds.BuildTrigger;
import dev.slipway.build.builds.Builds;
import dev.slipway.build.builds.NewBuild;
import dev.slipway.build.builds.runner.BuildSettings;
import dev.slipway.build.builds.runner.BuildWorkers;
import dev.slipway.build.source.SourceException;
import dev.slipway.build.source.SourceFetcher;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.platform.validation.InputRules;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
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
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/** {@code /builds}: list, show, start and cancel builds. */
@Path("/builds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Builds")
public class BuildResource {

  private final Builds builds;
  private final BuildWorkers workers;
  private final PipelineDirectory pipelines;
  private final BuildSettings settings;
  private final Mutiny.SessionFactory sessionFactory;
  private final SecurityIdentity identity;
  private final Vertx vertx;
  private final UrlPolicy urlPolicy;

  public BuildResource(
      Builds builds,
      BuildWorkers workers,
      PipelineDirectory pipelines,
      BuildSettings settings,
      Mutiny.SessionFactory sessionFactory,
      SecurityIdentity identity,
      Vertx vertx,
      UrlPolicy urlPolicy) {
    this.urlPolicy = urlPolicy;
    this.builds = builds;
    this.workers = workers;
    this.pipelines = pipelines;
    this.settings = settings;
    this.sessionFactory = sessionFactory;
    this.identity = identity;
    this.vertx = vertx;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "List builds, newest first")
  public Uni<List<BuildResponse>> list(
      @Parameter(description = "pipeline id or name") @QueryParam("pipeline") String pipeline,
      @QueryParam("branch") String branch,
      @Parameter(description = "queued, running, succeeded, failed, errored or cancelled")
          @QueryParam("status")
          String status,
      @QueryParam("page") @DefaultValue("1") @Min(1) int page,
      @QueryParam("per_page") @DefaultValue("50") @Min(1) @Max(500) int perPage) {
    BuildPhase phase;
    try {
      phase = status == null ? null : BuildPhase.of(status);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("status", e.getMessage());
    }
    if (branch != null) {
      ApiException.check("branch", InputRules.branch(branch));
    }
    int offset = (page - 1) * perPage;
    if (pipeline == null) {
      return builds
          .list(null, branch, phase, offset, perPage)
          .map(list -> list.stream().map(BuildResponse::of).toList());
    }
    return pipelines
        .find(pipeline)
        .map(p -> p.orElseThrow(BuildResource::noSuchPipeline))
        .flatMap(p -> builds.list(UUID.fromString(p.pipelineId()), branch, phase, offset, perPage))
        .map(list -> list.stream().map(BuildResponse::of).toList());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Show a build, its status and what it produced")
  public Uni<BuildResponse> get(@PathParam("id") UUID id) {
    return builds.find(id).map(b -> BuildResponse.of(b.orElseThrow(() -> notFound(id))));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Build a branch, tag or commit of a pipeline's repository")
  @APIResponse(responseCode = "202", description = "Queued")
  @APIResponse(responseCode = "404", description = "No such pipeline")
  @APIResponse(responseCode = "422", description = "The ref does not exist in the repository")
  public Uni<Response> create(@Valid @NotNull BuildRequest request) {
    if (request.ref() != null) {
      ApiException.check("ref", InputRules.branch(request.ref()));
    }
    return pipelines
        .find(request.pipeline())
        .map(p -> p.orElseThrow(BuildResource::noSuchPipeline))
        .flatMap(
            pipeline ->
                // executeBlocking comes back to the event loop, where Hibernate Reactive must run.
                vertx
                    .executeBlocking(Uni.createFrom().item(() -> resolve(pipeline, request.ref())))
                    .flatMap(
                        sha ->
                            sessionFactory.withTransaction(
                                s ->
                                    builds.enqueue(
                                        s,
                                        new NewBuild(
                                            UUID.fromString(pipeline.pipelineId()),
                                            pipeline.repositoryUrl(),
                                            sha,
                                            branchOf(pipeline, request.ref(), sha),
                                            null,
                                            false,
                                            BuildTrigger.MANUAL,
                                            identity.getPrincipal().getName())))))
        .invoke(b -> workers.wake())
        .map(b -> Response.status(202).entity(BuildResponse.of(b)).build());
  }

  @POST
  @Path("/{id}/cancel")
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Cancel a queued or running build; its process tree is stopped")
  @APIResponse(responseCode = "202", description = "Cancelled, or being stopped")
  public Uni<Response> cancel(@PathParam("id") UUID id) {
    return builds
        .requestCancel(id, identity.getPrincipal().getName())
        .map(b -> b.orElseThrow(() -> notFound(id)))
        .invoke(
            b -> {
              if (b.phase() == BuildPhase.RUNNING) {
                workers.cancelRunning(id);
              }
            })
        .map(b -> Response.status(202).entity(BuildResponse.of(b)).build());
  }

  /** The value is not repeated: it may be anything a client sent. */
  private static ApiException noSuchPipeline() {
    return new ApiException(404, "pipeline", "pipeline: no such pipeline id or name");
  }

  private String resolve(PipelineSnapshot pipeline, String ref) {
    String wanted = ref == null || ref.isBlank() ? pipeline.branch() : ref;
    try {
      return new SourceFetcher(settings.fetchTimeout(), urlPolicy)
          .resolve(pipeline.repositoryUrl(), wanted);
    } catch (SourceException e) {
      throw new ApiException(e.usersFault() ? 422 : 502, "ref", "ref: " + e.getMessage());
    }
  }

  private static String branchOf(PipelineSnapshot pipeline, String ref, String sha) {
    if (ref == null || ref.isBlank()) {
      return pipeline.branch();
    }
    return ref.equals(sha) ? pipeline.branch() : ref;
  }

  private static ApiException notFound(UUID id) {
    return ApiException.notFound("no build " + id);
  }
}

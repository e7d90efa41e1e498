package dev.slipway.testing.runs.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.testing.runs.TestRuns;
import dev.slipway.testing.runs.runner.TestRunWorkers;
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
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /pipelines/{id}/test-runs} and {@code /flaky-tests}: a pipeline's test runs. */
@Path("/pipelines/{pipeline}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Test runs")
public class PipelineTestRunResource {

  private final TestRuns runs;
  private final TestRunWorkers workers;
  private final PipelineDirectory pipelines;
  private final SecurityIdentity identity;

  public PipelineTestRunResource(
      TestRuns runs,
      TestRunWorkers workers,
      PipelineDirectory pipelines,
      SecurityIdentity identity) {
    this.runs = runs;
    this.workers = workers;
    this.pipelines = pipelines;
    this.identity = identity;
  }

  @GET
  @Path("/test-runs")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "List a pipeline's test runs, newest first")
  public Uni<List<TestRunResponse>> list(
      @Parameter(description = "pipeline id or name") @PathParam("pipeline") String pipeline,
      @QueryParam("page") @DefaultValue("1") @Min(1) int page,
      @QueryParam("per_page") @DefaultValue("50") @Min(1) @Max(500) int perPage) {
    return pipelineId(pipeline)
        .flatMap(id -> runs.list(id, (page - 1) * perPage, perPage))
        .map(list -> list.stream().map(TestRunResponse::of).toList());
  }

  @POST
  @Path("/test-runs")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(
      summary = "Run the tests of a succeeded build again",
      description =
          "Give build_id to test that build's source bundle, or commit_sha to test the latest"
              + " succeeded build of that commit.")
  @APIResponse(responseCode = "202", description = "Queued")
  @APIResponse(responseCode = "400", description = "Neither or both of build_id and commit_sha")
  @APIResponse(responseCode = "404", description = "No such pipeline")
  @APIResponse(responseCode = "422", description = "No succeeded build of that id or commit")
  public Uni<Response> create(
      @PathParam("pipeline") String pipeline, @Valid @NotNull TestRunRequest request) {
    boolean byBuild = request.buildId() != null && !request.buildId().isBlank();
    boolean byCommit = request.commitSha() != null;
    if (byBuild == byCommit) {
      throw ApiException.badField("build_id", "give exactly one of build_id and commit_sha");
    }
    return pipelineId(pipeline)
        .flatMap(
            id -> runs.succeededBuild(id, byBuild ? request.buildId() : null, request.commitSha()))
        .map(
            build ->
                build.orElseThrow(
                    () ->
                        byBuild
                            ? new ApiException(
                                422,
                                "build_id",
                                "build_id: no succeeded build "
                                    + request.buildId()
                                    + " in this pipeline")
                            : new ApiException(
                                422,
                                "commit_sha",
                                "commit_sha: no succeeded build of "
                                    + request.commitSha()
                                    + " in this pipeline")))
        .flatMap(build -> runs.createManual(build, identity.getPrincipal().getName()))
        .invoke(r -> workers.wake())
        .map(r -> Response.status(202).entity(TestRunResponse.of(r)).build());
  }

  @GET
  @Path("/flaky-tests")
  @RolesAllowed(Roles.VIEWER)
  @Operation(
      summary = "Test cases that failed, then passed when the same commit ran again",
      description = "Newest first.")
  public Uni<List<FlakyTestResponse>> flaky(
      @PathParam("pipeline") String pipeline,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
    return pipelineId(pipeline)
        .flatMap(id -> runs.flaky(id, limit))
        .map(list -> list.stream().map(FlakyTestResponse::of).toList());
  }

  /** A known pipeline's id by id or name; an unknown id still names its own runs. */
  private Uni<UUID> pipelineId(String idOrName) {
    return pipelines
        .find(idOrName)
        .map(
            p -> {
              if (p.isPresent()) {
                return UUID.fromString(p.get().pipelineId());
              }
              try {
                return UUID.fromString(idOrName);
              } catch (IllegalArgumentException e) {
                throw ApiException.notFound("no pipeline " + idOrName);
              }
            });
  }
}

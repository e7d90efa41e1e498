package dev.slipway.deploy.reviewapps.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.deploy.reviewapps.ReviewApp;
import dev.slipway.deploy.reviewapps.ReviewApps;
import dev.slipway.deploy.reviewapps.runner.ReviewAppWorker;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.platform.validation.InputRules;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Review apps: list a pipeline's, create one by hand, approve a fork's, destroy one. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Review apps")
public class ReviewAppResource {

  private final ReviewApps reviewApps;
  private final ReviewAppWorker worker;
  private final PipelineDirectory pipelines;
  private final AppRuntime runtime;

  public ReviewAppResource(
      ReviewApps reviewApps,
      ReviewAppWorker worker,
      PipelineDirectory pipelines,
      AppRuntime runtime) {
    this.reviewApps = reviewApps;
    this.worker = worker;
    this.pipelines = pipelines;
    this.runtime = runtime;
  }

  /** {@code POST /pipelines/{id}/review-apps}. */
  @Schema(name = "ReviewAppRequest")
  public record ReviewAppRequest(
      @Schema(example = "feature/cart")
          @NotBlank
          @Pattern(regexp = "[A-Za-z0-9._/+-]{1,255}", message = "must be a branch name")
          String branch,
      @Schema(example = "42") @JsonProperty("pr_number") @NotNull @Min(1) Integer prNumber) {}

  @GET
  @Path("pipelines/{pipeline}/review-apps")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The pipeline's review apps, newest first (deleted ones too)")
  public Uni<List<ReviewAppResponse>> list(@PathParam("pipeline") String pipeline) {
    return pipelines
        .find(pipeline)
        .map(p -> p.orElseThrow(() -> ApiException.notFound("no pipeline " + pipeline)))
        .flatMap(p -> reviewApps.list(UUID.fromString(p.pipelineId())))
        .map(list -> list.stream().map(this::view).toList());
  }

  @POST
  @Path("pipelines/{pipeline}/review-apps")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(
      summary = "Create a review app for a pull request",
      description =
          "It deploys the pull request's newest build (the newest green one when the pipeline"
              + " waits for CI) as soon as there is one.")
  public Uni<Response> create(
      @PathParam("pipeline") String pipeline, @Valid @NotNull ReviewAppRequest request) {
    ApiException.check("branch", InputRules.branch(request.branch()));
    return reviewApps
        .create(pipeline, request.branch(), request.prNumber())
        .invoke(r -> worker.wake())
        .map(r -> Response.status(201).entity(view(r)).build());
  }

  @GET
  @Path("review-apps/{id}")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Show a review app")
  public Uni<ReviewAppResponse> get(@PathParam("id") UUID id) {
    return reviewApps
        .find(id)
        .map(r -> view(r.orElseThrow(() -> ApiException.notFound("no review app " + id))));
  }

  @POST
  @Path("review-apps/{id}/approve")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Let a fork's review app be deployed (admins only)")
  public Uni<ReviewAppResponse> approve(@PathParam("id") UUID id) {
    return reviewApps.approve(id).invoke(r -> worker.wake()).map(this::view);
  }

  @DELETE
  @Path("review-apps/{id}")
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Destroy a review app: pr-predestroy, processes, database, app")
  public Uni<Response> destroy(@PathParam("id") UUID id) {
    return reviewApps
        .destroy(id)
        .invoke(r -> worker.wake())
        .map(r -> Response.status(202).entity(view(r)).build());
  }

  private ReviewAppResponse view(ReviewApp r) {
    return ReviewAppResponse.of(r, runtime.url(r.appName()).map(URI::toString).orElse(null));
  }
}

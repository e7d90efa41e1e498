package dev.slipway.promotion.pipeline.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.promotion.pipeline.NewPipeline;
import dev.slipway.promotion.pipeline.PipelineNameTakenException;
import dev.slipway.promotion.pipeline.Pipelines;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /pipelines}: create and read pipelines (the rest of the pipeline API is issue #7). */
@Path("/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines")
public class PipelineResource {

  private final Pipelines pipelines;

  public PipelineResource(Pipelines pipelines) {
    this.pipelines = pipelines;
  }

  @POST
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Create a pipeline following a git repository")
  public Uni<Response> create(@Valid @NotNull CreatePipelineRequest request) {
    String repositoryUrl = checkRepositoryUrl(request.repositoryUrl().trim());
    String forge = request.forge() != null ? request.forge() : guessForge(repositoryUrl);
    String branch = request.branch() != null ? request.branch() : "main";
    if (branch.contains("..") || branch.endsWith("/") || branch.endsWith(".lock")) {
      throw ApiException.badField("branch", "is not a valid git branch name");
    }
    return pipelines
        .create(new NewPipeline(request.name(), repositoryUrl, forge, branch))
        .map(
            p ->
                Response.created(URI.create("/pipelines/" + p.id))
                    .entity(PipelineResponse.of(p))
                    .build())
        .onFailure(PipelineNameTakenException.class)
        .transform(e -> new ApiException(409, "name", e.getMessage()));
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
    return pipelines
        .find(id)
        .map(
            p -> {
              if (p == null) {
                throw ApiException.notFound("no pipeline " + id);
              }
              return PipelineResponse.of(p);
            });
  }

  /** https, http, ssh and file URLs, or an absolute path; never credentials in the URL. */
  private static String checkRepositoryUrl(String value) {
    if (value.startsWith("/")) {
      return value;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw ApiException.badField("repository_url", "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("https", "http", "ssh", "file").contains(scheme)) {
      throw ApiException.badField(
          "repository_url", "must be an https, http, ssh or file URL, or an absolute path");
    }
    // ssh://git@host names a login; a password, or any user-info over http(s), is a secret.
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && (!"ssh".equals(scheme) || userInfo.contains(":"))) {
      throw ApiException.badField(
          "repository_url", "must not contain credentials; give the forge token separately");
    }
    return value;
  }

  private static String guessForge(String repositoryUrl) {
    String lower = repositoryUrl.toLowerCase(Locale.ROOT);
    if (lower.contains("github.com")) {
      return "github";
    }
    if (lower.contains("gitlab")) {
      return "gitlab";
    }
    return "generic";
  }
}

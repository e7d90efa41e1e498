package dev.slipway.build.artifacts.rest;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.Digest;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /source-bundles/{digest}}: a build's source tree as stored, for the Kubernetes build Job's
 * fetch container, which verifies the digest itself.
 */
@Path("/source-bundles")
@Tag(name = "Builds")
public class SourceBundleResource {

  static final String GZIP = "application/gzip";

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final ArtifactStore artifacts;

  public SourceBundleResource(ArtifactStore artifacts) {
    this.artifacts = artifacts;
  }

  @GET
  @Path("/{digest}")
  @Produces(GZIP)
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Download a source bundle (tar.gz) by its digest")
  @APIResponse(responseCode = "200", description = "The bundle's bytes")
  @APIResponse(responseCode = "400", description = "digest is not sha256:<64 lowercase hex>")
  @APIResponse(responseCode = "404", description = "No such bundle")
  public Response fetch(@PathParam("digest") String digest) {
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      throw ApiException.badField("digest", "must be sha256: followed by 64 lowercase hex digits");
    }
    try {
      java.nio.file.Path file = artifacts.fetch(Digest.parse(digest));
      return Response.ok(file).type(GZIP).build();
    } catch (NoSuchFileException e) {
      throw ApiException.notFound("no source bundle " + digest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read source bundle " + digest, e);
    }
  }
}

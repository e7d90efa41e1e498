package dev.slipway.build.logs.rest;

import dev.slipway.build.builds.Build;
import dev.slipway.build.builds.BuildPhase;
import dev.slipway.build.builds.Builds;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.logs.LineLogs;
import dev.slipway.platform.logs.LogLine;
import dev.slipway.platform.rest.ApiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code /builds/{id}/log}: the build's output, secret values redacted; {@code /log/stream} (or
 * {@code ?follow=true} with {@code Accept: text/event-stream}) follows it live as server-sent
 * events until the build ends.
 */
@Path("/builds/{id}/log")
@Tag(name = "Builds")
public class BuildLogResource {

  /** A build in one of these phases may still write lines; following stops after the others. */
  private static final Set<String> LIVE_PHASES =
      Arrays.stream(BuildPhase.values())
          .filter(p -> !p.isTerminal())
          .map(BuildPhase::wireName)
          .collect(Collectors.toUnmodifiableSet());

  private final Builds builds;
  private final LineLogs logs;

  public BuildLogResource(Builds builds, LineLogs logs) {
    this.builds = builds;
    this.logs = logs;
  }

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The build's output so far, one line per line")
  public Uni<String> text(@PathParam("id") UUID id) {
    return existing(id)
        .flatMap(
            b ->
                Uni.createFrom()
                    .item(() -> logs.read(id, 0, 0))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
        .map(lines -> lines.stream().map(l -> l.text() + "\n").collect(Collectors.joining()));
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @RolesAllowed(Roles.VIEWER)
  @Operation(
      summary = "Follow the build's output live",
      description =
          "Server-sent events, one per line (data = the line), from the first line until the"
              + " build ends. Chosen by Accept: text/event-stream; follow=true is accepted for"
              + " clients that cannot set headers.")
  public Multi<String> follow(
      @PathParam("id") UUID id,
      @Parameter(description = "accepted for symmetry with the text form") @QueryParam("follow")
          Boolean follow) {
    return existing(id)
        .onItem()
        .transformToMulti(b -> logs.follow(id, 0, "build", LIVE_PHASES))
        .map(LogLine::text);
  }

  private Uni<Build> existing(UUID id) {
    return builds.find(id).map(b -> b.orElseThrow(() -> ApiException.notFound("no build " + id)));
  }
}

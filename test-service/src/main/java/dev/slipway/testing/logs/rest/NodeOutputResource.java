package dev.slipway.testing.logs.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.logs.LineLogs;
import dev.slipway.platform.logs.LogLine;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.testing.runs.TestRun;
import dev.slipway.testing.runs.TestRunPhase;
import dev.slipway.testing.runs.TestRuns;
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
 * {@code /test-runs/{id}/nodes/{index}/output}: a node's setup and test output, secret values
 * redacted; {@code ?follow=true} (or {@code Accept: text/event-stream}) follows it live as
 * server-sent events until the run ends.
 */
@Path("/test-runs/{id}/nodes/{index}/output")
@Tag(name = "Test runs")
public class NodeOutputResource {

  /** A run in one of these phases may still write output; following stops after the others. */
  private static final Set<String> ACTIVE =
      Arrays.stream(TestRunPhase.values())
          .filter(p -> !p.isTerminal())
          .map(TestRunPhase::wireName)
          .collect(Collectors.toUnmodifiableSet());

  private final TestRuns runs;
  private final LineLogs logs;

  public NodeOutputResource(TestRuns runs, LineLogs logs) {
    this.runs = runs;
    this.logs = logs;
  }

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The node's output so far, one line per line")
  public Uni<String> text(@PathParam("id") UUID id, @PathParam("index") int index) {
    return existing(id, index)
        .flatMap(
            r ->
                Uni.createFrom()
                    .item(() -> logs.read(id, index, 0))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
        .map(lines -> lines.stream().map(l -> l.text() + "\n").collect(Collectors.joining()));
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @RolesAllowed(Roles.VIEWER)
  @Operation(
      summary = "Follow the node's output live",
      description =
          "Server-sent events, one per line (data = the line), from the first line until the"
              + " run ends. Chosen by Accept: text/event-stream; follow=true is accepted for"
              + " clients that cannot set headers.")
  public Multi<String> follow(
      @PathParam("id") UUID id,
      @PathParam("index") int index,
      @Parameter(description = "accepted for symmetry with the text form") @QueryParam("follow")
          Boolean follow) {
    return existing(id, index)
        .onItem()
        .transformToMulti(r -> logs.follow(id, index, "test_run", ACTIVE))
        .map(LogLine::text);
  }

  private Uni<TestRun> existing(UUID id, int index) {
    if (index < 0) {
      throw ApiException.badField("index", "must be 0 or more");
    }
    return runs.find(id).map(r -> r.orElseThrow(() -> ApiException.notFound("no test run " + id)));
  }
}

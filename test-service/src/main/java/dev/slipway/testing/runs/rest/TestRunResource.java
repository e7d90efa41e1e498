package dev.slipway.testing.runs.rest;

import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.testing.results.TestOutcome;
import dev.slipway.testing.runs.TestRun;
import dev.slipway.testing.runs.TestRuns;
import dev.slipway.testing.runs.runner.TestRunWorkers;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /test-runs/{id}}: a run, its nodes and test cases, and cancelling it. */
@Path("/test-runs/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Test runs")
public class TestRunResource {

  private final TestRuns runs;
  private final TestRunWorkers workers;
  private final SecurityIdentity identity;

  public TestRunResource(TestRuns runs, TestRunWorkers workers, SecurityIdentity identity) {
    this.runs = runs;
    this.workers = workers;
    this.identity = identity;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Show a test run: status, message and counts")
  public Uni<TestRunResponse> get(@PathParam("id") UUID id) {
    return existing(id).map(TestRunResponse::of);
  }

  @GET
  @Path("/nodes")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The run's parallel nodes: status, exit code and duration")
  public Uni<List<TestNodeResponse>> nodes(@PathParam("id") UUID id) {
    return existing(id)
        .flatMap(r -> runs.nodes(id))
        .map(list -> list.stream().map(TestNodeResponse::of).toList());
  }

  @GET
  @Path("/test-cases")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The run's test cases, from TAP output and JUnit XML reports")
  public Uni<List<TestCaseResponse>> cases(
      @PathParam("id") UUID id,
      @Parameter(description = "passed, failed or skipped") @QueryParam("outcome") String outcome) {
    TestOutcome wanted;
    try {
      wanted = outcome == null ? null : TestOutcome.valueOf(outcome.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("outcome", "must be one of passed, failed, skipped");
    }
    return existing(id)
        .flatMap(r -> runs.cases(id, wanted))
        .map(list -> list.stream().map(TestCaseResponse::of).toList());
  }

  @POST
  @Path("/cancel")
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Cancel a run; every node's process tree is stopped")
  @APIResponse(responseCode = "202", description = "Cancelled, or being stopped")
  public Uni<Response> cancel(@PathParam("id") UUID id) {
    return runs.requestCancel(id, identity.getPrincipal().getName())
        .map(r -> r.orElseThrow(() -> notFound(id)))
        .invoke(
            r -> {
              if (!r.phase().isTerminal()) {
                workers.cancelRunning(id);
              }
            })
        .map(r -> Response.status(202).entity(TestRunResponse.of(r)).build());
  }

  private Uni<TestRun> existing(UUID id) {
    return runs.find(id).map(r -> r.orElseThrow(() -> notFound(id)));
  }

  private static ApiException notFound(UUID id) {
    return ApiException.notFound("no test run " + id);
  }
}

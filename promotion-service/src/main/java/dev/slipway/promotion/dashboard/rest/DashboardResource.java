package dev.slipway.promotion.dashboard.rest;

import dev.slipway.platform.auth.Role;
import dev.slipway.platform.auth.Roles;
import dev.slipway.promotion.dashboard.PipelineChanges;
import dev.slipway.promotion.pipeline.Pipelines;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code /dashboard}: what the browser dashboard (served from this service's static resources at
 * {@code /}) needs besides the public API: who the token belongs to, where the other services
 * answer, and a live feed of a pipeline's changes.
 */
@Path("/dashboard")
@Tag(name = "Dashboard")
public class DashboardResource {

  /** Keeps idle connections open through proxies that close silent ones. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final Pipelines pipelines;
  private final PipelineChanges changes;
  private final SecurityIdentity identity;
  private final ServiceUrls urls;

  public DashboardResource(
      Pipelines pipelines,
      PipelineChanges changes,
      SecurityIdentity identity,
      @ConfigProperty(name = "slipway.dashboard.build-url") Optional<String> buildUrl,
      @ConfigProperty(name = "slipway.dashboard.test-url") Optional<String> testUrl,
      @ConfigProperty(name = "slipway.dashboard.deploy-url") Optional<String> deployUrl) {
    this.pipelines = pipelines;
    this.changes = changes;
    this.identity = identity;
    this.urls = new ServiceUrls(buildUrl.orElse(""), testUrl.orElse(""), deployUrl.orElse(""));
  }

  /** Where the browser reaches the other services; empty means this page's own origin. */
  public record ServiceUrls(String build, String test, String deploy) {}

  /** The token's holder and its role: the page hides what the role may not do. */
  public record Session(String name, String role) {}

  @GET
  @Path("/services")
  @Produces(MediaType.APPLICATION_JSON)
  @PermitAll
  @Operation(summary = "Where the dashboard reaches build-, test- and deploy-service")
  public ServiceUrls services() {
    return urls;
  }

  @GET
  @Path("/session")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The name and role of the token the request carries")
  public Session session() {
    String role =
        identity.getRoles().stream()
            .map(Role::parse)
            .flatMap(Optional::stream)
            .max(Comparator.naturalOrder())
            .map(Role::id)
            .orElse(Roles.VIEWER);
    return new Session(identity.getPrincipal().getName(), role);
  }

  @GET
  @Path("/pipelines/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @RolesAllowed(Roles.VIEWER)
  @Operation(
      summary = "Follow a pipeline's changes live",
      description =
          "Server-sent events: `ready` once, `changed` whenever a build, test run, release or"
              + " review app of the pipeline changed (fetch the overview again), `heartbeat`"
              + " every 15 s; only `gone` (then the end) for an unknown pipeline.")
  public Multi<String> events(@PathParam("id") UUID id) {
    // An SSE answer is committed (200) when the stream starts, so an unknown pipeline gets a
    // stream that says `gone` and ends rather than a failure that would cut the answer short.
    return pipelines
        .find(id)
        .onItem()
        .transformToMulti(
            p ->
                p.isEmpty()
                    ? Multi.createFrom().item("gone")
                    : Multi.createBy()
                        .merging()
                        .streams(
                            Multi.createFrom().item("ready"),
                            changes.of(id.toString()).map(x -> "changed"),
                            Multi.createFrom().ticks().every(HEARTBEAT).map(t -> "heartbeat")));
  }
}

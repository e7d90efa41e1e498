package dev.slipway.deploy.apps.rest;

import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code /apps/{app}/logs}: the app's recent output ({@code heroku logs}); with {@code follow=true}
 * (or {@code Accept: text/event-stream}) it keeps streaming ({@code --tail}).
 */
@Path("/apps/{app}/logs")
@Tag(name = "Apps")
public class AppLogResource {

  /**
   * Lines buffered for a follower that reads slower than the app writes; past it the follow ends (a
   * client may reconnect with a tail) rather than the service holding an endless backlog.
   */
  static final int FOLLOW_BUFFER = 10_000;

  private final Apps apps;
  private final AppRuntime runtime;

  public AppLogResource(Apps apps, AppRuntime runtime) {
    this.apps = apps;
    this.runtime = runtime;
  }

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "The app's last log lines (processes, router, runtime)")
  public Uni<String> recent(
      @PathParam("app") String app,
      @QueryParam("tail") @DefaultValue("100") @Min(1) @Max(1500) int tail) {
    return existing(app)
        .map(
            v -> {
              List<String> lines = new ArrayList<>();
              runtime.logs(app, tail, false, lines::add).close();
              return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
            });
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Follow the app's logs live, one event per line")
  public Multi<String> follow(
      @PathParam("app") String app,
      @QueryParam("tail") @DefaultValue("100") @Min(1) @Max(1500) int tail,
      @QueryParam("follow") Boolean follow) {
    // The app look-up is reactive database work and must run on the event loop; only the
    // runtime's subscription (which may block, e.g. on the Kubernetes API) moves to a worker.
    return existing(app)
        .onItem()
        .transformToMulti(
            v ->
                Multi.createFrom()
                    .<String>emitter(
                        emitter -> {
                          AppRuntime.LogSubscription subscription =
                              runtime.logs(app, tail, true, emitter::emit);
                          emitter.onTermination(subscription::close);
                        },
                        FOLLOW_BUFFER)
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
  }

  private Uni<Boolean> existing(String app) {
    return apps.find(app)
        .map(
            a -> {
              if (a.isEmpty()) {
                throw ApiException.notFound("no app " + app);
              }
              return true;
            });
  }
}

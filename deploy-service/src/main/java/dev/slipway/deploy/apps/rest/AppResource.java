package dev.slipway.deploy.apps.rest;

import dev.slipway.apps.config.Redactor;
import dev.slipway.apps.config.SecretNames;
import dev.slipway.deploy.apps.App;
import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.apps.ConfigVars;
import dev.slipway.deploy.releases.Release;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.deploy.releases.runner.ReleaseWorkers;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.platform.auth.Roles;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.platform.validation.InputRules;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/** {@code /apps}: apps, their config vars and their formation. */
@Path("/apps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Apps")
public class AppResource {

  static final String REDACTED = Redactor.MARK;

  private final Apps apps;
  private final ConfigVars configVars;
  private final Releases releases;
  private final ReleaseWorkers workers;
  private final AppRuntime runtime;
  private final Mutiny.SessionFactory sessionFactory;
  private final SecurityIdentity identity;
  private final Vertx vertx;

  public AppResource(
      Apps apps,
      ConfigVars configVars,
      Releases releases,
      ReleaseWorkers workers,
      AppRuntime runtime,
      Mutiny.SessionFactory sessionFactory,
      SecurityIdentity identity,
      Vertx vertx) {
    this.apps = apps;
    this.configVars = configVars;
    this.releases = releases;
    this.workers = workers;
    this.runtime = runtime;
    this.sessionFactory = sessionFactory;
    this.identity = identity;
    this.vertx = vertx;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Create an app")
  public Uni<Response> create(@Valid @NotNull AppRequest request) {
    ApiException.check("name", InputRules.name(request.name()));
    return apps.create(request.name(), request.pipeline(), request.stage())
        .flatMap(this::view)
        .map(a -> Response.status(201).entity(a).build());
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "List apps")
  public Uni<List<AppResponse>> list() {
    return apps.list()
        .map(
            list ->
                list.stream().map(a -> AppResponse.of(a, url(a.name()), null, List.of())).toList());
  }

  @GET
  @Path("/{app}")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "Show an app: its URL, current release, formation and processes")
  public Uni<AppResponse> get(@PathParam("app") String name) {
    return existing(name).flatMap(this::view);
  }

  @GET
  @Path("/{app}/config-vars")
  @RolesAllowed(Roles.VIEWER)
  @Operation(
      summary = "The app's config vars",
      description =
          "Values of secret vars (named secret: a review app's pipeline review config,"
              + " app.json generator: secret values, vars marked secret; or secret-looking:"
              + " passwords, tokens, keys, URLs with credentials) are shown as [REDACTED] unless"
              + " an admin asks with reveal=true.")
  public Uni<Map<String, String>> config(
      @PathParam("app") String name,
      @Parameter(description = "admins only: show secret values") @QueryParam("reveal")
          boolean reveal) {
    if (reveal && !identity.hasRole(Roles.ADMIN)) {
      return Uni.createFrom()
          .failure(new ApiException(403, "reveal", "reveal: only an admin sees secret values"));
    }
    return existing(name)
        .map(a -> reveal ? new TreeMap<>(a.config()) : redacted(a.config(), a.secretNames()));
  }

  @PATCH
  @Path("/{app}/config-vars")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(
      summary = "Set or unset config vars",
      description =
          "A JSON object of name to value; null unsets. Makes a new release of the current"
              + " artifact with the new config, as Heroku does. Each secret=NAME marks that var"
              + " secret whatever it is called: redacted in the API, masked in the app's log.")
  public Uni<Map<String, String>> setConfig(
      @PathParam("app") String name,
      @Parameter(description = "names of vars to mark secret (set here or already set)")
          @QueryParam("secret")
          List<String> secret,
      Map<String, String> changes) {
    return configVars
        .change(
            name,
            changes,
            secret == null ? Set.of() : new TreeSet<>(secret),
            identity.getPrincipal().getName())
        .invoke(c -> c.release().ifPresent(r -> workers.wake()))
        .map(c -> redacted(c.config(), c.secretNames()));
  }

  @GET
  @Path("/{app}/formation")
  @RolesAllowed(Roles.VIEWER)
  @Operation(summary = "How many processes of each type the app runs")
  public Uni<Map<String, Integer>> formation(@PathParam("app") String name) {
    return existing(name).map(App::formation);
  }

  @PATCH
  @Path("/{app}/formation")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVELOPER)
  @Operation(summary = "Scale process types, e.g. {\"web\": 2, \"worker\": 1}")
  public Uni<Map<String, Integer>> scale(
      @PathParam("app") String name, Map<String, Integer> changes) {
    if (changes == null || changes.isEmpty()) {
      return Uni.createFrom().failure(ApiException.badField("formation", "is empty"));
    }
    for (Map.Entry<String, Integer> e : changes.entrySet()) {
      // Checked even before the app's first release, when there is no Procfile to compare with.
      if (InputRules.processType(e.getKey()).isPresent()) {
        return Uni.createFrom()
            .failure(ApiException.badField(e.getKey(), InputRules.processType(e.getKey()).get()));
      }
      if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 100) {
        return Uni.createFrom()
            .failure(ApiException.badField(e.getKey(), "quantity must be between 0 and 100"));
      }
    }
    return sessionFactory
        .withTransaction(
            s ->
                releases
                    .current(s, name)
                    .flatMap(
                        current -> {
                          for (String type : changes.keySet()) {
                            if (current.isPresent()
                                && !current.get().processTypes().containsKey(type)) {
                              return Uni.createFrom()
                                  .<App>failure(
                                      ApiException.badField(
                                          type,
                                          "the Procfile of v"
                                              + current.get().version()
                                              + " has no such process type"));
                            }
                          }
                          return apps.setFormation(s, name, changes);
                        }))
        .call(
            app ->
                vertx.executeBlocking(
                    Uni.createFrom()
                        .item(
                            () -> {
                              runtime.scale(name, app.formation());
                              return app;
                            })))
        .map(App::formation);
  }

  private Uni<App> existing(String name) {
    return apps.find(name).map(a -> a.orElseThrow(() -> ApiException.notFound("no app " + name)));
  }

  private Uni<AppResponse> view(App app) {
    return releases
        .current(app.name())
        .map(
            current ->
                AppResponse.of(
                    app,
                    url(app.name()),
                    current.map(Release::version).orElse(null),
                    runtime.processes(app.name())));
  }

  private String url(String app) {
    return runtime.url(app).map(URI::toString).orElse(null);
  }

  /** The vars with every secret value, by name or by look, shown as {@value #REDACTED}. */
  static Map<String, String> redacted(Map<String, String> config, Set<String> secretNames) {
    Map<String, String> out = new LinkedHashMap<>();
    new TreeMap<>(config)
        .forEach((k, v) -> out.put(k, SecretNames.isSecret(k, v, secretNames) ? REDACTED : v));
    return out;
  }
}

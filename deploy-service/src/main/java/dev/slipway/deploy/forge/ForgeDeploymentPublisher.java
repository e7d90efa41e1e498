package dev.slipway.deploy.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.platform.forge.ForgeApis;
import dev.slipway.platform.git.RepositoryUrl;
import dev.slipway.platform.outbound.UrlPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reports deployments on GitHub (Deployments API) and GitLab (Environments API) so that a pull
 * request shows its review app's link and a repository its staging and production environments.
 *
 * <p>Best effort: a refused or failed call is logged and reported as {@code false}, never thrown;
 * the release it describes already happened. The token goes only in a header, is masked in every
 * log line, and only to an API the forge-host {@link UrlPolicy} allows (the check commit statuses
 * use): HTTPS (HTTP only for hosts allowed so) to an allow-listed host that resolves to no
 * loopback, link-local or private address, checked before the first request.
 *
 * <p>TODO(#19): one attempt per call; commit statuses retry with backoff (test-service's
 * RetryPolicy), which would need that publisher's delivery in a shared module.
 */
public class ForgeDeploymentPublisher {

  private static final Logger LOG = Logger.getLogger(ForgeDeploymentPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LOGGED_BODY_LIMIT = 200;
  private static final String USER_AGENT = "slipway-deploy-service";

  private final HttpClient client;
  private final UrlPolicy urlPolicy;
  private final UrlPolicy.Resolver resolver;
  private final Duration requestTimeout;

  public ForgeDeploymentPublisher(HttpClient client, UrlPolicy urlPolicy) {
    this(client, urlPolicy, UrlPolicy.Resolver.SYSTEM, Duration.ofSeconds(30));
  }

  ForgeDeploymentPublisher(
      HttpClient client, UrlPolicy urlPolicy, UrlPolicy.Resolver resolver, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Reports {@code deployment} with {@code token} to the forge's API at {@code apiBase} (derived
   * from the repository URL when null); whether the forge accepted every call. Blocks while the
   * forge answers: call it off the event loop.
   */
  public boolean publish(ForgeDeployment deployment, String token, URI apiBase) {
    try {
      Optional<DeploymentCalls> calls = calls(deployment, token, apiBase);
      if (calls.isEmpty()) {
        return false;
      }
      Optional<String> refused = urlPolicy.apiRefusalBeforeConnect(calls.get().root(), resolver);
      if (refused.isPresent()) {
        return refuse(deployment, "the forge token is not sent there (" + refused.get() + ")");
      }
      Session session = new Session(deployment, calls.get(), token);
      return deployment.forge() == Forge.GITLAB ? session.gitlab() : session.github();
    } catch (RuntimeException e) {
      return refuse(deployment, ForgeApis.redact(e.getClass().getSimpleName(), token));
    }
  }

  private Optional<DeploymentCalls> calls(ForgeDeployment d, String token, URI apiBase) {
    if (d.forge() == Forge.GENERIC) {
      return Optional.empty();
    }
    if (token == null || !ForgeApis.isValidHeaderValue(token)) {
      refuse(d, "the token is not a valid header value");
      return Optional.empty();
    }
    Optional<DeploymentCalls> calls =
        RepositoryUrl.parse(d.repositoryUrl())
            .flatMap(r -> DeploymentCalls.of(r, d.forge() == Forge.GITLAB, apiBase));
    if (calls.isEmpty()) {
      refuse(d, "the repository URL names no " + d.forge() + " repository");
      return Optional.empty();
    }
    Optional<String> refused = urlPolicy.apiRefusal(calls.get().root());
    if (refused.isPresent()) {
      refuse(d, "the forge token is not sent there (" + refused.get() + ")");
      return Optional.empty();
    }
    return calls;
  }

  private static boolean refuse(ForgeDeployment d, String reason) {
    LOG.warnf(
        "Deployment of %s (%s) not reported: %s",
        d.environment(), d.state().name().toLowerCase(java.util.Locale.ROOT), reason);
    return false;
  }

  /** The calls of one report, each sent only if the one before was accepted. */
  private final class Session {
    private final ForgeDeployment deployment;
    private final DeploymentCalls calls;
    private final String token;

    Session(ForgeDeployment deployment, DeploymentCalls calls, String token) {
      this.deployment = deployment;
      this.calls = calls;
      this.token = token;
    }

    boolean github() {
      if (deployment.state() == DeploymentState.INACTIVE) {
        Optional<JsonNode> latest = send(calls.githubLatest(deployment.environment()));
        if (latest.isEmpty()) {
          return false;
        }
        if (!latest.get().isArray() || latest.get().isEmpty()) {
          return true;
        }
        return send(calls.githubStatus(latest.get().get(0).path("id").asLong(), deployment))
            .isPresent();
      }
      Optional<JsonNode> created = send(calls.githubDeployment(deployment));
      if (created.isEmpty()) {
        return false;
      }
      if (!created.get().hasNonNull("id")) {
        return refuse(
            deployment,
            ForgeApis.redact("GitHub created no deployment: " + snippet(created.get()), token));
      }
      return send(calls.githubStatus(created.get().get("id").asLong(), deployment)).isPresent();
    }

    boolean gitlab() {
      Optional<JsonNode> found = send(calls.gitlabFind(deployment.environment()));
      if (found.isEmpty()) {
        return false;
      }
      Optional<Long> id =
          found.get().isArray() && !found.get().isEmpty()
              ? Optional.of(found.get().get(0).path("id").asLong())
              : Optional.empty();
      if (deployment.state() == DeploymentState.INACTIVE) {
        return id.isEmpty() || send(calls.gitlabStop(id.get())).isPresent();
      }
      Optional<JsonNode> environment =
          send(
              id.isPresent()
                  ? calls.gitlabUpdate(id.get(), deployment)
                  : calls.gitlabCreate(deployment));
      return environment.isPresent() && send(calls.gitlabDeployment(deployment)).isPresent();
    }

    /** The answer's JSON when the forge accepted the call (2xx), empty otherwise. */
    private Optional<JsonNode> send(DeploymentCalls.Call call) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(call.uri())
              .timeout(requestTimeout)
              .header("User-Agent", USER_AGENT)
              .header("Content-Type", "application/json");
      if (calls.gitlab()) {
        request.header("PRIVATE-TOKEN", token).header("Accept", "application/json");
      } else {
        request
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28");
      }
      request.method(
          call.method(),
          call.body() == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
      HttpResponse<String> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        refuse(
            deployment,
            ForgeApis.redact(e.getClass().getSimpleName() + ": " + e.getMessage(), token));
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        refuse(deployment, "interrupted");
        return Optional.empty();
      }
      if (response.statusCode() < 200 || response.statusCode() >= 300) {
        refuse(
            deployment,
            call.method()
                + " "
                + call.uri().getRawPath()
                + ": HTTP "
                + response.statusCode()
                + ForgeApis.redact(bodySnippet(response.body()), token));
        return Optional.empty();
      }
      try {
        String body = response.body();
        return Optional.of(
            body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body));
      } catch (IOException e) {
        return Optional.of(JSON.createObjectNode());
      }
    }
  }

  private static String snippet(JsonNode node) {
    return ForgeApis.truncate(node.toString(), LOGGED_BODY_LIMIT);
  }

  private static String bodySnippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    return ": " + ForgeApis.truncate(body.replaceAll("\\s+", " ").strip(), LOGGED_BODY_LIMIT);
  }
}

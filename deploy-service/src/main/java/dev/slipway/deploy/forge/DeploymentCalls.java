package dev.slipway.deploy.forge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.platform.forge.ForgeApis;
import dev.slipway.platform.git.RepositoryUrl;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The REST calls that report a deployment on GitHub (Deployments API: a deployment, then its
 * status) and GitLab (Environments API: the environment with its URL, a deployment record, stop on
 * close); pure, so every request is table-tested.
 */
final class DeploymentCalls {

  static final int DESCRIPTION_LIMIT = 140;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request: its method, URI and JSON body (null for GET). */
  record Call(String method, URI uri, String body) {}

  private final String base;
  private final boolean gitlab;
  private final String project;

  private DeploymentCalls(String base, boolean gitlab, String project) {
    this.base = base;
    this.gitlab = gitlab;
    this.project = project;
  }

  /**
   * The calls for {@code repository}'s forge, its API at {@code configuredApiBase} (or derived from
   * the repository URL when null); empty when the URL names no repository of that forge.
   */
  static Optional<DeploymentCalls> of(
      RepositoryUrl repository, boolean gitlab, URI configuredApiBase) {
    if (!repository.namesForgeRepository()) {
      return Optional.empty();
    }
    String base =
        ForgeApis.trimTrailingSlash(
            configuredApiBase == null
                ? ForgeApis.defaultBase(repository, gitlab)
                : configuredApiBase);
    if (gitlab) {
      String api = base.endsWith("/api/v4") ? base : base + "/api/v4";
      return Optional.of(
          new DeploymentCalls(
              api + "/projects/" + encode(repository.path()), true, repository.path()));
    }
    List<String> path = repository.segments();
    if (path.size() != 2) {
      return Optional.empty();
    }
    return Optional.of(
        new DeploymentCalls(
            base + "/repos/" + path.get(0) + "/" + path.get(1), false, repository.path()));
  }

  /** The repository's API root: every call goes under it. */
  URI root() {
    return URI.create(base);
  }

  String project() {
    return project;
  }

  // GitHub

  /** POST a deployment of the commit to the environment; the answer carries its id. */
  Call githubDeployment(ForgeDeployment d) {
    ObjectNode body = JSON.createObjectNode();
    body.put("ref", d.sha());
    body.put("environment", d.environment());
    body.put("auto_merge", false);
    body.putArray("required_contexts");
    body.put("transient_environment", d.tier() == EnvironmentTier.REVIEW);
    body.put("production_environment", d.tier() == EnvironmentTier.PRODUCTION);
    if (d.description() != null) {
      body.put("description", ForgeApis.truncate(d.description(), DESCRIPTION_LIMIT));
    }
    return new Call("POST", URI.create(base + "/deployments"), body.toString());
  }

  /**
   * POST the deployment's status. {@code auto_inactive} lets GitHub mark the environment's earlier
   * deployments inactive, so the pull request shows only the live one.
   */
  Call githubStatus(long deploymentId, ForgeDeployment d) {
    ObjectNode body = JSON.createObjectNode();
    body.put("state", d.state().name().toLowerCase(Locale.ROOT));
    if (d.environmentUrl() != null && d.state() != DeploymentState.INACTIVE) {
      body.put("environment_url", d.environmentUrl());
    }
    body.put("auto_inactive", true);
    if (d.description() != null) {
      body.put("description", ForgeApis.truncate(d.description(), DESCRIPTION_LIMIT));
    }
    return new Call(
        "POST", URI.create(base + "/deployments/" + deploymentId + "/statuses"), body.toString());
  }

  /** GET the environment's latest deployment, to mark it inactive. */
  Call githubLatest(String environment) {
    return new Call(
        "GET",
        URI.create(base + "/deployments?environment=" + encode(environment) + "&per_page=1"),
        null);
  }

  // GitLab

  /** GET the environment by name (a list of zero or one). */
  Call gitlabFind(String environment) {
    return new Call("GET", URI.create(base + "/environments?name=" + encode(environment)), null);
  }

  /** POST a new environment with its URL and tier. */
  Call gitlabCreate(ForgeDeployment d) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", d.environment());
    if (d.environmentUrl() != null) {
      body.put("external_url", d.environmentUrl());
    }
    body.put("tier", gitlabTier(d.tier()));
    return new Call("POST", URI.create(base + "/environments"), body.toString());
  }

  /** PUT the environment's URL (it may have changed since it was created). */
  Call gitlabUpdate(long environmentId, ForgeDeployment d) {
    ObjectNode body = JSON.createObjectNode();
    if (d.environmentUrl() != null) {
      body.put("external_url", d.environmentUrl());
    }
    body.put("tier", gitlabTier(d.tier()));
    return new Call("PUT", URI.create(base + "/environments/" + environmentId), body.toString());
  }

  /** POST a deployment record, which is what merge requests show. */
  Call gitlabDeployment(ForgeDeployment d) {
    ObjectNode body = JSON.createObjectNode();
    body.put("environment", d.environment());
    body.put("sha", d.sha());
    body.put("ref", d.ref());
    body.put("tag", false);
    body.put("status", d.state() == DeploymentState.SUCCESS ? "success" : "failed");
    return new Call("POST", URI.create(base + "/deployments"), body.toString());
  }

  /** POST stop: the review app is gone. */
  Call gitlabStop(long environmentId) {
    return new Call("POST", URI.create(base + "/environments/" + environmentId + "/stop"), "{}");
  }

  static String gitlabTier(EnvironmentTier tier) {
    return switch (tier) {
      case REVIEW -> "development";
      case STAGING -> "staging";
      case PRODUCTION -> "production";
    };
  }

  boolean gitlab() {
    return gitlab;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

package dev.slipway.testing.commitstatus;

import dev.slipway.platform.forge.ForgeApis;
import dev.slipway.platform.git.RepositoryUrl;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The commit status endpoint of a repository on GitHub or GitLab, derived from its clone URL. */
final class StatusEndpoints {

  private StatusEndpoints() {}

  /** The API base when none is configured: github.com, GHE.com, GitHub Enterprise, GitLab. */
  static URI defaultApiBase(RepositoryUrl repository, ForgeKind forge) {
    return ForgeApis.defaultBase(repository, forge == ForgeKind.GITLAB);
  }

  /**
   * Empty when the URL names no forge repository, or when the path cannot name a repository on that
   * forge (GitHub wants owner/repo).
   */
  static Optional<URI> statusUri(
      RepositoryUrl repository, ForgeKind forge, URI configuredApiBase, String commitSha) {
    if (!repository.namesForgeRepository()) {
      return Optional.empty();
    }
    String base =
        ForgeApis.trimTrailingSlash(
            configuredApiBase == null ? defaultApiBase(repository, forge) : configuredApiBase);
    List<String> path = repository.segments();
    if (forge == ForgeKind.GITHUB) {
      if (path.size() != 2) {
        return Optional.empty();
      }
      return Optional.of(
          URI.create(
              base + "/repos/" + path.get(0) + "/" + path.get(1) + "/statuses/" + commitSha));
    }
    String api = base.endsWith("/api/v4") ? base : base + "/api/v4";
    String project = URLEncoder.encode(repository.path(), StandardCharsets.UTF_8);
    return Optional.of(URI.create(api + "/projects/" + project + "/statuses/" + commitSha));
  }
}

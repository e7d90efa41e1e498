package dev.slipway.testing.status;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's forge host and path, read from its https, ssh or scp-style ({@code
 * git@host:owner/repo.git}) clone URL, and the commit status endpoints derived from them.
 */
record RepositoryCoordinates(String scheme, String host, int port, List<String> path) {

  private static final Pattern SCP_LIKE =
      Pattern.compile("^(?:[^@\\s/:]+@)?([A-Za-z0-9.\\-]+):/?([^\\s]+)$");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+");
  private static final List<String> GIT_SCHEMES = List.of("ssh", "git", "git+ssh");

  /** Empty when the URL names no repository that a status can be posted for. */
  static Optional<RepositoryCoordinates> parse(String repositoryUrl) {
    if (repositoryUrl == null) {
      return Optional.empty();
    }
    String url = repositoryUrl.trim();
    if (url.contains("://")) {
      return parseUri(url);
    }
    Matcher scp = SCP_LIKE.matcher(url);
    if (!scp.matches()) {
      return Optional.empty();
    }
    return of("https", scp.group(1), -1, scp.group(2));
  }

  private static Optional<RepositoryCoordinates> parseUri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getPath() == null) {
      return Optional.empty();
    }
    if (scheme.equals("http") || scheme.equals("https")) {
      return of(scheme, uri.getHost(), uri.getPort(), uri.getPath());
    }
    if (GIT_SCHEMES.contains(scheme)) {
      // The port of an ssh URL is the ssh daemon's, not the API's.
      return of("https", uri.getHost(), -1, uri.getPath());
    }
    return Optional.empty();
  }

  private static Optional<RepositoryCoordinates> of(
      String scheme, String host, int port, String rawPath) {
    if (!HOST.matcher(host).matches()) {
      return Optional.empty();
    }
    String path = rawPath;
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - ".git".length());
    }
    List<String> segments = List.of(path.split("/", -1));
    if (segments.size() < 2) {
      return Optional.empty();
    }
    for (String segment : segments) {
      if (!SEGMENT.matcher(segment).matches()
          || segment.equals(".")
          || segment.equals("..")
          || segment.equals("-")) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new RepositoryCoordinates(scheme, host.toLowerCase(Locale.ROOT), port, segments));
  }

  /** Host and path, fit for logs: a clone URL may carry credentials, this never does. */
  String display() {
    return host + "/" + String.join("/", path);
  }

  /** The API base when none is configured: github.com, GHE.com, GitHub Enterprise, GitLab. */
  URI defaultApiBase(ForgeKind forge) {
    String origin = scheme + "://" + host + (port < 0 ? "" : ":" + port);
    if (forge == ForgeKind.GITLAB) {
      return URI.create(origin);
    }
    if (host.equals("github.com") || host.equals("www.github.com")) {
      return URI.create("https://api.github.com");
    }
    if (host.endsWith(".ghe.com")) {
      return URI.create("https://api." + host);
    }
    return URI.create(origin + "/api/v3");
  }

  /** Empty when the path cannot name a repository on that forge (GitHub wants owner/repo). */
  Optional<URI> statusUri(ForgeKind forge, URI configuredApiBase, String commitSha) {
    String base =
        trimTrailingSlash(
            (configuredApiBase == null ? defaultApiBase(forge) : configuredApiBase).toString());
    if (forge == ForgeKind.GITHUB) {
      if (path.size() != 2) {
        return Optional.empty();
      }
      return Optional.of(
          URI.create(
              base + "/repos/" + path.get(0) + "/" + path.get(1) + "/statuses/" + commitSha));
    }
    String api = base.endsWith("/api/v4") ? base : base + "/api/v4";
    String project = URLEncoder.encode(String.join("/", path), StandardCharsets.UTF_8);
    return Optional.of(URI.create(api + "/projects/" + project + "/statuses/" + commitSha));
  }

  private static String trimTrailingSlash(String value) {
    String trimmed = value;
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}

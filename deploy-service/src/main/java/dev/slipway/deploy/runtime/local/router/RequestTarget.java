package dev.slipway.deploy.runtime.local.router;

import java.util.Locale;

/**
 * Which app a request is for and the URI its web process sees, from either the Host header or the
 * {@code /apps/<app>} path prefix.
 */
record RequestTarget(Kind kind, String app, String uri, String prefix) {

  private static final String HOST_SUFFIX = ".localhost";
  private static final String PATH_PREFIX = "/apps";

  /** Whether the request names a well-formed app, a malformed one, or none at all. */
  enum Kind {
    APP,
    INVALID_APP_NAME,
    NO_APP
  }

  /**
   * Resolves a request; the Host form wins so an app may itself serve paths under {@code /apps}.
   *
   * @param host the Host header without port, or null
   * @param path the raw (still percent-encoded) path, or null
   * @param query the raw query, or null
   */
  static RequestTarget of(String host, String path, String query) {
    String rawPath = path == null || path.isEmpty() ? "/" : path;
    String suffix = query == null ? "" : "?" + query;
    String hostApp = appFromHost(host);
    if (hostApp != null) {
      return app(hostApp, rawPath + suffix, null);
    }
    if (rawPath.equals(PATH_PREFIX) || rawPath.startsWith(PATH_PREFIX + "/")) {
      String rest = rawPath.equals(PATH_PREFIX) ? "" : rawPath.substring(PATH_PREFIX.length() + 1);
      int slash = rest.indexOf('/');
      String app = slash < 0 ? rest : rest.substring(0, slash);
      String remainder = slash < 0 ? "/" : rest.substring(slash);
      return app(app, remainder + suffix, PATH_PREFIX + "/" + app);
    }
    return new RequestTarget(Kind.NO_APP, null, rawPath + suffix, null);
  }

  private static RequestTarget app(String app, String uri, String prefix) {
    Kind kind = RouteTable.isValidAppName(app) ? Kind.APP : Kind.INVALID_APP_NAME;
    return new RequestTarget(kind, kind == Kind.APP ? app : null, uri, prefix);
  }

  private static String appFromHost(String host) {
    if (host == null) {
      return null;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (!name.endsWith(HOST_SUFFIX) || name.length() == HOST_SUFFIX.length()) {
      return null;
    }
    return name.substring(0, name.length() - HOST_SUFFIX.length());
  }
}

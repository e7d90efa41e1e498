package dev.slipway.build.webhook;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether two spellings name the same repository: https and ssh clone URLs, the web URL,
 * with or without {@code .git}, and local paths with or without {@code file://}.
 */
public final class RepositoryUrls {

  private static final Pattern SCP_LIKE = Pattern.compile("^[\\w.-]+@([^:/]+):(.+)$");
  private static final Pattern URL = Pattern.compile("^[a-z][a-z0-9+.-]*://([^/]*)(/.*)?$");

  private RepositoryUrls() {}

  /** Whether {@code a} and {@code b} name the same repository. */
  public static boolean same(String a, String b) {
    return a != null && b != null && key(a).equals(key(b));
  }

  /** A comparable key: host (lower case, no user or port) and path without {@code .git}. */
  static String key(String url) {
    String s = url.trim();
    String host;
    String path;
    Matcher scp = SCP_LIKE.matcher(s);
    Matcher full = URL.matcher(s.toLowerCase(Locale.ROOT).startsWith("file:") ? "" : s);
    if (s.toLowerCase(Locale.ROOT).startsWith("file:")) {
      host = "";
      path = s.substring("file:".length()).replaceFirst("^//(localhost)?", "");
    } else if (full.matches()) {
      String authority = full.group(1);
      host = authority.substring(authority.indexOf('@') + 1).replaceFirst(":\\d+$", "");
      path = full.group(2) == null ? "/" : full.group(2);
    } else if (scp.matches()) {
      host = scp.group(1);
      path = "/" + scp.group(2);
    } else {
      host = "";
      path = s;
    }
    path = path.replaceAll("/+$", "");
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    path = path.replaceAll("/+$", "");
    return host.toLowerCase(Locale.ROOT) + (host.isEmpty() ? path : path.toLowerCase(Locale.ROOT));
  }
}

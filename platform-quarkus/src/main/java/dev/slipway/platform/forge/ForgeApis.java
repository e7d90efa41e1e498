package dev.slipway.platform.forge;

import dev.slipway.platform.git.RepositoryUrl;
import java.net.URI;

/**
 * Where a repository's forge API lives when none is configured: github.com, GHE.com, GitHub
 * Enterprise, GitLab. Commit statuses and deployments both call it.
 */
public final class ForgeApis {

  private ForgeApis() {}

  /** The API base of {@code repository}'s forge; {@code gitlab} tells GitLab from GitHub. */
  public static URI defaultBase(RepositoryUrl repository, boolean gitlab) {
    String host = repository.host();
    boolean web = repository.scheme().equals("http") || repository.scheme().equals("https");
    // The port of an ssh URL is the ssh daemon's, not the API's.
    String origin =
        (web ? repository.scheme() : "https")
            + "://"
            + host
            + (!web || repository.port() < 0 ? "" : ":" + repository.port());
    if (gitlab) {
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

  /** {@code base} without trailing slashes, so paths can be appended. */
  public static String trimTrailingSlash(URI base) {
    String trimmed = base.toString();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  /** Cuts at a code point boundary and marks the cut with an ellipsis. */
  public static String truncate(String text, int limit) {
    if (text.codePointCount(0, text.length()) <= limit) {
      return text;
    }
    int end = text.offsetByCodePoints(0, limit - 1);
    return text.substring(0, end) + "\u2026";
  }

  /** Masks the token wherever it appears, so nothing a forge echoes back can leak it. */
  public static String redact(String text, String token) {
    if (text == null || token == null || token.isEmpty()) {
      return text;
    }
    return text.replace(token, "***");
  }

  /** Whether a token can travel in an HTTP header: printable Latin-1, no control characters. */
  public static boolean isValidHeaderValue(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }
}

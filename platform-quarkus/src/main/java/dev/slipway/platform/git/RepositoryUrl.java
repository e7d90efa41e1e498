package dev.slipway.platform.git;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's clone URL read once, whatever its spelling (https or ssh URL, scp-like {@code
 * git@host:owner/repo.git}, web URL, local path or {@code file:} URL): where the repository lives,
 * never who cloned it (user info is dropped).
 *
 * @param scheme lower case; {@code ssh} for the scp-like form, {@code file} for local paths
 * @param host lower case, without user or port; empty for local paths
 * @param port the URL's port, -1 when it names none
 * @param path without {@code .git} and trailing slashes; without a leading slash unless local
 */
public record RepositoryUrl(String scheme, String host, int port, String path) {

  private static final Pattern URL =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$", Pattern.DOTALL);
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@\\s/:]+@)?([^@\\s/:]+):(.*)$");
  private static final Pattern PORT = Pattern.compile(":(\\d{1,5})$");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Set<String> FORGE_SCHEMES = Set.of("http", "https", "ssh", "git", "git+ssh");

  /** Empty for a missing or blank URL; every other text reads as some repository location. */
  public static Optional<RepositoryUrl> parse(String url) {
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    String s = url.trim();
    if (s.toLowerCase(Locale.ROOT).startsWith("file:")) {
      return Optional.of(local(s.substring("file:".length()).replaceFirst("^//(localhost)?", "")));
    }
    Matcher full = URL.matcher(s);
    if (full.matches()) {
      String authority = full.group(2);
      String host = authority.substring(authority.lastIndexOf('@') + 1);
      int port = -1;
      Matcher portMatch = PORT.matcher(host);
      if (portMatch.find() && Integer.parseInt(portMatch.group(1)) <= 65_535) {
        port = Integer.parseInt(portMatch.group(1));
        host = host.substring(0, portMatch.start());
      }
      return Optional.of(remote(full.group(1), host, port, full.group(3)));
    }
    Matcher scp = SCP_LIKE.matcher(s);
    if (scp.matches()) {
      return Optional.of(remote("ssh", scp.group(1), -1, scp.group(2)));
    }
    return Optional.of(local(s));
  }

  /** Whether two spellings name the same repository: same host and path, whatever the protocol. */
  public static boolean same(String a, String b) {
    Optional<RepositoryUrl> left = parse(a);
    Optional<RepositoryUrl> right = parse(b);
    return left.isPresent() && right.isPresent() && left.get().sameRepository(right.get());
  }

  /** Same host and path (case-insensitive on a forge, exact on disk); scheme, port, user aside. */
  public boolean sameRepository(RepositoryUrl other) {
    return host.equals(other.host)
        && (isLocal() ? path.equals(other.path) : path.equalsIgnoreCase(other.path));
  }

  /** A path on this machine rather than on a host. */
  public boolean isLocal() {
    return host.isEmpty();
  }

  /**
   * Whether a forge (GitHub, GitLab) could host it: a web or ssh URL on a plain host name, with at
   * least owner and repository as path segments, none of them {@code .}, {@code ..} or {@code -}.
   */
  public boolean namesForgeRepository() {
    if (!FORGE_SCHEMES.contains(scheme) || !HOST.matcher(host).matches()) {
      return false;
    }
    List<String> segments = segments();
    return segments.size() >= 2
        && segments.stream()
            .allMatch(
                s ->
                    SEGMENT.matcher(s).matches()
                        && !s.equals(".")
                        && !s.equals("..")
                        && !s.equals("-"));
  }

  /** The path's segments, e.g. {@code [group, subgroup, repo]}. */
  public List<String> segments() {
    return List.of(path.split("/", -1));
  }

  /** Host and path, fit for logs: a clone URL may carry credentials, this never does. */
  public String display() {
    return isLocal() ? path : host + "/" + path;
  }

  private static RepositoryUrl remote(String scheme, String host, int port, String rawPath) {
    String path = withoutGitSuffix(rawPath).replaceFirst("^/+", "");
    return new RepositoryUrl(
        scheme.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT), port, path);
  }

  private static RepositoryUrl local(String rawPath) {
    return new RepositoryUrl("file", "", -1, withoutGitSuffix(rawPath));
  }

  private static String withoutGitSuffix(String rawPath) {
    String path = rawPath.replaceFirst("/+$", "");
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - ".git".length());
    }
    return path.replaceFirst("/+$", "");
  }
}

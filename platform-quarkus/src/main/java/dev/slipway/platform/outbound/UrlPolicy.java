package dev.slipway.platform.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether Slipway may connect to a URL it was given (a repository to fetch, a forge API to
 * send a token to): the one place outbound destinations are checked. Pure apart from the optional
 * name resolution in {@link #refusalBeforeConnect}; refusals name the URL's scheme or host, never
 * anything a remote server said.
 */
public final class UrlPolicy {

  /** What an administrator allows; the defaults allow github.com and gitlab.com over HTTPS/SSH. */
  public record Settings(
      Set<String> allowedHosts,
      Set<String> httpHosts,
      boolean allowLocalPaths,
      boolean allowPrivateAddresses) {

    public Settings {
      allowedHosts = lower(allowedHosts);
      httpHosts = lower(httpHosts);
    }

    /** github.com, its API and gitlab.com; HTTPS or SSH only; no local paths or private ranges. */
    public static Settings defaults() {
      return new Settings(
          Set.of("github.com", "api.github.com", "gitlab.com"), Set.of(), false, false);
    }

    private static Set<String> lower(Set<String> hosts) {
      return hosts.stream()
          .map(h -> h.trim().toLowerCase(Locale.ROOT))
          .filter(h -> !h.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
    }
  }

  /** Resolves a host name to every address it has (the JDK resolver in production). */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
  }

  /** Where a URL points: a host (with the scheme used to reach it), or a local path. */
  record Target(String scheme, String host) {
    boolean local() {
      return host == null;
    }
  }

  // user@host:path, as git and ssh read it (no "://", the part before ':' is not a drive letter).
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/\\s]+@)?([^/:\\s]{2,}):(.*)$");
  private static final Pattern NUMERIC_HOST =
      Pattern.compile("[0-9.]+|0x[0-9a-fx.]*|[0-9][0-9a-fx.]*x[0-9a-fx.]*");
  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  private final Settings settings;
  private final String hostsSetting;
  private final String httpHostsSetting;

  public UrlPolicy(Settings settings) {
    this(settings, "slipway.outbound.allowed-hosts", "slipway.outbound.http-hosts");
  }

  private UrlPolicy(Settings settings, String hostsSetting, String httpHostsSetting) {
    this.settings = settings;
    this.hostsSetting = hostsSetting;
    this.httpHostsSetting = httpHostsSetting;
  }

  /**
   * The policy for forge APIs that receive a token: the forge hosts alone ({@code
   * slipway.forge.hosts}, HTTP only for {@code slipway.forge.http-hosts}), never the hosts
   * repositories may be fetched from, so allowing an internal git server never lets the token go
   * there. Only the private-address setting is shared, for a forge inside the network.
   */
  public UrlPolicy forForgeApi(Set<String> forgeHosts, Set<String> forgeHttpHosts) {
    return new UrlPolicy(
        new Settings(forgeHosts, forgeHttpHosts, false, settings.allowPrivateAddresses()),
        "slipway.forge.hosts",
        "slipway.forge.http-hosts");
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Why {@code url} may not be fetched from, judged from the URL alone (scheme, allow-listed host,
   * literal addresses), or empty when it may. Meant for validation at the edge.
   */
  public Optional<String> refusal(String url) {
    Target target;
    try {
      target = target(url);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (target.local()) {
      return settings.allowLocalPaths()
          ? Optional.empty()
          : Optional.of(
              "local paths and file:// URLs are not allowed on this installation (setting"
                  + " slipway.outbound.allow-local-paths)");
    }
    return hostRefusal(target);
  }

  /**
   * Why Slipway may not send a forge token to {@code api}: only HTTPS (HTTP for hosts allowed so)
   * to an allow-listed host, never a local or private address.
   */
  public Optional<String> apiRefusal(URI api) {
    String scheme = api.getScheme() == null ? "" : api.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.of(scheme + ":// is not an HTTP API");
    }
    if (api.getHost() == null) {
      return Optional.of("the API URL names no host");
    }
    return hostRefusal(new Target(scheme, host(api.getHost())));
  }

  /**
   * {@link #refusal}'s verdict, then every address the host resolves to: what to call right before
   * connecting, so a name that resolves to a loopback or private address is refused too.
   */
  public Optional<String> refusalBeforeConnect(String url, Resolver resolver) {
    return refusal(url)
        .or(
            () -> {
              Target target = target(url);
              return target.local() ? Optional.empty() : addressRefusal(target.host(), resolver);
            });
  }

  /** {@link #apiRefusal}'s verdict, then every address the API host resolves to. */
  public Optional<String> apiRefusalBeforeConnect(URI api, Resolver resolver) {
    return apiRefusal(api).or(() -> addressRefusal(host(api.getHost()), resolver));
  }

  private Optional<String> addressRefusal(String host, Resolver resolver) {
    if (settings.allowPrivateAddresses()) {
      return Optional.empty();
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("host " + host + " does not resolve");
    }
    if (addresses.isEmpty()) {
      return Optional.of("host " + host + " does not resolve");
    }
    for (InetAddress address : addresses) {
      Optional<String> kind = privateKind(address);
      if (kind.isPresent()) {
        return Optional.of(
            "host "
                + host
                + " resolves to a "
                + kind.get()
                + " address (setting slipway.outbound.allow-private-addresses)");
      }
    }
    return Optional.empty();
  }

  private Optional<String> hostRefusal(Target target) {
    String scheme = target.scheme();
    String host = target.host();
    if (scheme.equals("http") && !settings.httpHosts().contains(host)) {
      return Optional.of(
          "http:// is not allowed for "
              + host
              + "; use https:// (setting "
              + httpHostsSetting
              + ")");
    }
    if (!List.of("https", "http", "ssh").contains(scheme)) {
      return Optional.of(scheme + ":// is not allowed; use https:// or ssh://");
    }
    if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
      // 2130706433, 0x7f.1, 127.1: resolvers read these as addresses in ways that differ.
      return Optional.of(host + " is not a plain host name or dotted address");
    }
    Optional<InetAddress> literal = literal(host);
    if (literal.isPresent() && !settings.allowPrivateAddresses()) {
      Optional<String> kind = privateKind(literal.get());
      if (kind.isPresent()) {
        return Optional.of(
            host
                + " is a "
                + kind.get()
                + " address (setting slipway.outbound.allow-private-addresses)");
      }
    }
    if (!allowListed(host)) {
      return Optional.of(
          "host " + host + " is not on the allow-list (setting " + hostsSetting + ")");
    }
    return Optional.empty();
  }

  private boolean allowListed(String host) {
    for (String allowed : settings.allowedHosts()) {
      if (allowed.equals("*") || allowed.equals(host)) {
        return true;
      }
      if (allowed.startsWith("*.") && host.endsWith(allowed.substring(1))) {
        return true;
      }
    }
    return false;
  }

  /** Parses a repository URL: scheme://..., scp-like user@host:path, or a local path. */
  static Target target(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    String value = url.trim();
    if (value.startsWith("/")
        || value.startsWith(".")
        || value.startsWith("~")
        || value.matches("^[A-Za-z]:[\\\\/].*")
        || value.startsWith("\\")) {
      return new Target("file", null);
    }
    if (value.contains("://")) {
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("is not a URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("file")) {
        return new Target("file", null);
      }
      if (scheme.equals("git+ssh") || scheme.equals("ssh+git")) {
        scheme = "ssh";
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("names no host");
      }
      return new Target(scheme, host(uri.getHost()));
    }
    if (value.startsWith("file:")) {
      return new Target("file", null);
    }
    Matcher scp = SCP_LIKE.matcher(value);
    if (scp.matches()) {
      return new Target("ssh", host(scp.group(1)));
    }
    // git treats anything else as a path relative to where it runs.
    return new Target("file", null);
  }

  private static String host(String raw) {
    String host = raw.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    while (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host;
  }

  /** The address a host literally is (a dotted quad or IPv6), never looked up in DNS. */
  private static Optional<InetAddress> literal(String host) {
    if (!DOTTED_QUAD.matcher(host).matches() && !host.contains(":")) {
      return Optional.empty();
    }
    try {
      // A literal never reaches DNS.
      return Optional.of(InetAddress.getByName(host.contains(":") ? "[" + host + "]" : host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The class of a non-public address (loopback, link-local, private, ...), or empty. */
  static Optional<String> privateKind(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return Optional.of("loopback");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("link-local");
    }
    if (address.isAnyLocalAddress()) {
      return Optional.of("wildcard");
    }
    if (address.isSiteLocalAddress()) {
      return Optional.of("private");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("multicast");
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0 || (first == 100 && second >= 64 && second < 128)) {
        return Optional.of("private");
      }
      if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
        return Optional.of("private");
      }
      if (first == 198 && (second == 18 || second == 19) || first >= 240) {
        return Optional.of("reserved");
      }
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return Optional.of("private");
      }
      if (isMappedOrCompat(b)) {
        try {
          return privateKind(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return Optional.of("private");
        }
      }
    }
    return Optional.empty();
  }

  /** ::ffff:a.b.c.d and the like: an IPv4 address in IPv6 clothing. */
  private static boolean isMappedOrCompat(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] == 0 && b[11] == 0) || ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff);
  }
}

package dev.slipway.cli.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where each service answers and which token to send, resolved from flags, then the environment
 * ({@code SLIPWAY_<SERVICE>_URL}, {@code SLIPWAY_URL}, {@code SLIPWAY_TOKEN}), then the
 * installation file that {@code slipway up} wrote, then the default ports on this machine.
 */
public record Endpoints(Map<Service, URI> urls, Optional<String> token, Path dataDir) {

  /**
   * Resolves endpoints; {@code flagUrl} and {@code flagToken} may be null, {@code env} is the
   * environment (a parameter so that tests can give their own).
   */
  public static Endpoints resolve(
      String flagUrl, String flagToken, Path dataDir, Function<String, String> env) {
    Installation installation = Installation.load(dataDir);
    int base = installation.basePort().orElse(Service.DEFAULT_BASE_PORT);
    Map<Service, URI> urls = new EnumMap<>(Service.class);
    for (Service s : Service.values()) {
      String url =
          firstNonBlank(
              flagUrl,
              env.apply("SLIPWAY_" + s.name() + "_URL"),
              env.apply("SLIPWAY_URL"),
              "http://127.0.0.1:" + s.port(base));
      urls.put(s, URI.create(stripSlash(url)));
    }
    Optional<String> token =
        Optional.ofNullable(firstNonBlank(flagToken, env.apply("SLIPWAY_TOKEN")))
            .or(installation::adminToken);
    return new Endpoints(urls, token, dataDir);
  }

  public URI url(Service service) {
    return urls.get(service);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }
}

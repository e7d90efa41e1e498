package dev.slipway.cli.up;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a {@code slipway up} stack lets repository URLs be local paths: yes on one person's
 * machine (every listener on loopback, nothing on Kubernetes), no as soon as others can reach it,
 * and always what {@code SLIPWAY_OUTBOUND_ALLOW_LOCAL_PATHS} says when it is set.
 */
record LocalPaths(boolean allowed, boolean explicit, String reason) {

  /** Settings that bind a listener: the services' HTTP port and the app router. */
  static final List<String> BIND_VARIABLES = List.of("QUARKUS_HTTP_HOST", "SLIPWAY_ROUTER_HOST");

  /** Settings that move work onto a cluster others share. */
  static final List<String> KUBERNETES_VARIABLES =
      List.of("SLIPWAY_BUILDS_EXECUTOR", "SLIPWAY_TESTRUNS_EXECUTOR", "SLIPWAY_RUNTIME_KIND");

  static final String SETTING = "SLIPWAY_OUTBOUND_ALLOW_LOCAL_PATHS";

  /** The decision for the environment {@code env} (a variable's value, or null when unset). */
  static LocalPaths decide(Function<String, String> env) {
    String explicit = env.apply(SETTING);
    if (explicit != null && !explicit.isBlank()) {
      boolean allowed = Boolean.parseBoolean(explicit.trim());
      return new LocalPaths(allowed, true, SETTING + "=" + explicit.trim());
    }
    for (String variable : BIND_VARIABLES) {
      String host = env.apply(variable);
      if (host != null && !host.isBlank() && !loopback(host.trim())) {
        return new LocalPaths(
            false, false, variable + "=" + host.trim() + " makes the stack reachable from others");
      }
    }
    for (String variable : KUBERNETES_VARIABLES) {
      String value = env.apply(variable);
      if (value != null && value.trim().toLowerCase(Locale.ROOT).equals("kubernetes")) {
        return new LocalPaths(false, false, variable + "=kubernetes runs work on a cluster");
      }
    }
    return new LocalPaths(true, false, "every listener is on loopback");
  }

  /** The address the services listen on: loopback unless the environment chose another. */
  static String bindHost(Function<String, String> env) {
    return Optional.ofNullable(env.apply("QUARKUS_HTTP_HOST"))
        .map(String::trim)
        .filter(h -> !h.isEmpty())
        .orElse("127.0.0.1");
  }

  /** The line {@code slipway up} prints at start. */
  String announcement() {
    if (allowed) {
      return "  Repository URLs may be local paths and file:// URLs ("
          + reason
          + (explicit ? "" : "; set " + SETTING + "=false to refuse them")
          + ").";
    }
    return "  Repository URLs may not be local paths or file:// URLs ("
        + reason
        + (explicit ? "" : "; set " + SETTING + "=true to allow them")
        + ").";
  }

  /** Literal loopback addresses and localhost; a name is never looked up here. */
  private static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package dev.slipway.platform.instances;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * This service instance's name among the replicas of its service: unique among the running ones
 * and, where the platform allows, stable across restarts of the same replica (a pod's name, {@code
 * up} under {@code slipway up}). It names the instance in the work it owns and in its Kafka static
 * group membership.
 */
public final class InstanceName {

  /** What Kafka accepts in a {@code group.instance.id}, with room for {@code .<channel>}. */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._-]{1,120}");

  private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9._-]+");

  private InstanceName() {}

  /**
   * The configured name when there is one (refused when Kafka could not use it); else the host's
   * name (a pod's name on Kubernetes, from {@code HOSTNAME}) and the process id, which no two
   * running processes share: two replicas on one machine get different names, and a container
   * restarted in the same pod (its Java process is pid 1 again) gets its previous name back.
   */
  public static String derive(
      Optional<String> configured, Map<String, String> env, String hostname, long pid) {
    if (configured.isPresent() && !configured.get().isBlank()) {
      String name = configured.get().strip();
      if (!SHAPE.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "slipway.instance.name: letters, digits, '.', '_' and '-' only, at most 120: "
                + name.length()
                + " characters given");
      }
      return name;
    }
    String host = env.getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      host = hostname == null ? "" : hostname;
    }
    String safe = UNSAFE.matcher(host.toLowerCase(Locale.ROOT)).replaceAll("-");
    safe = safe.replaceAll("^[-.]+|[-.]+$", "");
    if (safe.isEmpty()) {
      safe = "instance";
    }
    if (safe.length() > 100) {
      safe = safe.substring(0, 100);
    }
    return safe + "-" + pid;
  }
}

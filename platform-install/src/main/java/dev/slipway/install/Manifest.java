package dev.slipway.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One object of an install profile, with the comment lines rendered above it and, for a Role or
 * ClusterRole, the reason of each rule in order.
 */
public record Manifest(HasMetadata resource, List<String> comment, List<String> ruleReasons) {

  public static Manifest of(HasMetadata resource, String... comment) {
    return new Manifest(resource, List.of(comment), List.of());
  }
}

package dev.slipway.build.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a successful build produced: a slug archive on disk (local) or an image already in a
 * registry (Kubernetes, {@code imageDigest}), with its process types, stack and buildpacks.
 */
public record BuildProduct(
    Path slug,
    String imageReference,
    String imageDigest,
    Map<String, String> processTypes,
    String stack,
    List<String> buildpacks) {

  public BuildProduct {
    processTypes = Map.copyOf(processTypes);
    buildpacks = List.copyOf(buildpacks);
  }
}

package dev.slipway.build.builds;

import java.util.List;
import java.util.Map;

/** How a build ended and, when it succeeded, what it produced (and the app's app.json). */
public record BuildOutcome(
    BuildPhase phase,
    String error,
    String sourceBundleDigest,
    String sourceBundleUri,
    String artifactDigest,
    String artifactUri,
    Long artifactSize,
    Map<String, String> processTypes,
    String stack,
    List<String> buildpacks,
    String appJson) {

  public BuildOutcome {
    if (!phase.isTerminal()) {
      throw new IllegalArgumentException("an outcome must be terminal, not " + phase);
    }
    processTypes = processTypes == null ? Map.of() : Map.copyOf(processTypes);
    buildpacks = buildpacks == null ? List.of() : List.copyOf(buildpacks);
  }

  /** An outcome without artifacts: failed, errored or cancelled, with the reason. */
  public static BuildOutcome ended(
      BuildPhase phase, String error, String bundleDigest, String uri) {
    return new BuildOutcome(
        phase, error, bundleDigest, uri, null, null, null, null, null, null, null);
  }
}

package dev.slipway.apps.manifest;

import java.util.List;
import java.util.Map;

/**
 * One app.json {@code environments.<name>} block ({@code test}, {@code review}, ...): what that
 * environment declares, exactly as written, without merging the top-level values in.
 */
public record AppEnvironment(
    Map<String, EnvVar> env,
    Scripts scripts,
    Map<String, Formation> formation,
    List<Addon> addons,
    List<Buildpack> buildpacks) {

  public AppEnvironment {
    env = ManifestCollections.unmodifiable(env);
    scripts = scripts == null ? Scripts.empty() : scripts;
    formation = ManifestCollections.unmodifiable(formation);
    addons = ManifestCollections.unmodifiable(addons);
    buildpacks = ManifestCollections.unmodifiable(buildpacks);
  }

  public static AppEnvironment empty() {
    return new AppEnvironment(Map.of(), Scripts.empty(), Map.of(), List.of(), List.of());
  }
}

package dev.slipway.apps.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed app.json, as Heroku reads it. Keys Heroku uses only for its Button or dashboard ({@code
 * logo}, {@code repository}, {@code website}, {@code keywords}, {@code success_url}, {@code image})
 * and unknown top-level keys are accepted and ignored. Maps keep the order keys were written in.
 *
 * @param name null when absent
 * @param description null when absent
 * @param stack null when absent
 */
public record AppJson(
    String name,
    String description,
    String stack,
    Map<String, EnvVar> env,
    Map<String, Formation> formation,
    List<Addon> addons,
    List<Buildpack> buildpacks,
    Scripts scripts,
    Map<String, AppEnvironment> environments) {

  public AppJson {
    env = ManifestCollections.unmodifiable(env);
    formation = ManifestCollections.unmodifiable(formation);
    addons = ManifestCollections.unmodifiable(addons);
    buildpacks = ManifestCollections.unmodifiable(buildpacks);
    scripts = scripts == null ? Scripts.empty() : scripts;
    environments = ManifestCollections.unmodifiable(environments);
  }

  /**
   * Parses app.json text.
   *
   * @throws ManifestException naming the key path of the first problem found
   */
  public static AppJson parse(String json) {
    return AppJsonParser.parse(json);
  }

  /** What an app without an app.json gets: nothing declared. */
  public static AppJson defaults() {
    return new AppJson(
        null, null, null, Map.of(), Map.of(), List.of(), List.of(), Scripts.empty(), Map.of());
  }

  /** The {@code environments.<name>} block, e.g. {@code "test"} or {@code "review"}. */
  public Optional<AppEnvironment> environment(String name) {
    return Optional.ofNullable(environments.get(name));
  }
}

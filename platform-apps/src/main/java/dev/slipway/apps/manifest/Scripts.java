package dev.slipway.apps.manifest;

import java.util.Map;
import java.util.Optional;

/**
 * app.json {@code scripts}: shell command lines, each null when absent.
 *
 * @param postdeploy run once after the first deploy of a review app (or Heroku Button app)
 * @param prPredestroy {@code pr-predestroy}: run before a review app is destroyed
 * @param testSetup {@code test-setup}: run once before the tests (Heroku CI)
 * @param test the test command (Heroku CI)
 * @param other any other script keys, by name
 */
public record Scripts(
    String postdeploy,
    String prPredestroy,
    String testSetup,
    String test,
    Map<String, String> other) {

  public Scripts {
    other = ManifestCollections.unmodifiable(other);
  }

  public static Scripts empty() {
    return new Scripts(null, null, null, null, Map.of());
  }

  public Optional<String> postdeployCommand() {
    return Optional.ofNullable(postdeploy);
  }

  public Optional<String> prPredestroyCommand() {
    return Optional.ofNullable(prPredestroy);
  }

  public Optional<String> testSetupCommand() {
    return Optional.ofNullable(testSetup);
  }

  public Optional<String> testCommand() {
    return Optional.ofNullable(test);
  }

  public boolean isEmpty() {
    return postdeploy == null
        && prPredestroy == null
        && testSetup == null
        && test == null
        && other.isEmpty();
  }
}

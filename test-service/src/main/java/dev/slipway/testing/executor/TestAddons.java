package dev.slipway.testing.executor;

import dev.slipway.apps.manifest.Addon;
import java.util.List;
import java.util.Optional;

/**
 * Which app.json test add-ons a test run can provide. An add-on it cannot provide is the user's
 * app.json asking for too much, so the run fails (not errors) with a message naming it.
 */
public final class TestAddons {

  /** Heroku's Postgres add-on: a database of the run's own, DATABASE_URL set. */
  public static final String POSTGRES = "heroku-postgresql";

  /** Every add-on service a test run can provide. */
  public static final List<String> SUPPORTED = List.of(POSTGRES);

  private TestAddons() {}

  /**
   * Why {@code addons} (app.json {@code environments.test.addons}) cannot be provided, naming every
   * unsupported add-on and the supported ones; empty when all can.
   */
  public static Optional<String> refusal(List<Addon> addons) {
    List<String> unsupported =
        addons.stream().map(Addon::service).filter(s -> !SUPPORTED.contains(s)).distinct().toList();
    if (unsupported.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "app.json: environments.test.addons: "
            + String.join(", ", unsupported)
            + (unsupported.size() == 1 ? " is" : " are")
            + " not supported in test runs; supported add-ons: "
            + String.join(", ", SUPPORTED));
  }
}

package dev.slipway.deploy.addons;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The add-on rules: which plans Slipway offers (heroku-postgresql, any plan name, all served alike
 * by a database on Slipway's PostgreSQL), the config var each is attached as, and Heroku-style
 * add-on names ({@code postgresql-<adjective>-<number>}).
 */
public final class AddonPlans {

  /** The one add-on service Slipway provides. */
  public static final String POSTGRES = "heroku-postgresql";

  /** Where the primary database's URL goes, as on Heroku. */
  public static final String DATABASE_URL = "DATABASE_URL";

  private static final Pattern PLAN =
      Pattern.compile(Pattern.quote(POSTGRES) + "(:[a-z0-9][a-z0-9-]{0,39})?");
  private static final Pattern NAME = Pattern.compile("postgresql-[a-z]{3,12}-[0-9]{5}");
  private static final List<String> ADJECTIVES =
      List.of(
          "amorphous",
          "angular",
          "aerodynamic",
          "clean",
          "concave",
          "convex",
          "curly",
          "cubic",
          "deep",
          "flat",
          "fluffy",
          "graceful",
          "horizontal",
          "octagonal",
          "opaque",
          "parallel",
          "polished",
          "regular",
          "round",
          "rugged",
          "shallow",
          "shaped",
          "sinuous",
          "slippery",
          "solid",
          "spherical",
          "square",
          "symmetrical",
          "tetrahedral",
          "transparent",
          "triangular",
          "vertical");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AddonPlans() {}

  /**
   * Why {@code plan} cannot be provisioned, or empty when it can: {@code heroku-postgresql} or
   * {@code heroku-postgresql:<plan>}. The message never repeats the input.
   */
  public static Optional<String> problem(String plan) {
    if (plan == null || plan.isBlank()) {
      return Optional.of("is required, e.g. heroku-postgresql");
    }
    if (!PLAN.matcher(plan).matches()) {
      return Optional.of(
          "is not an add-on Slipway offers; only heroku-postgresql (optionally"
              + " heroku-postgresql:<plan>) is supported");
    }
    return Optional.empty();
  }

  /** Whether an app.json add-on (its service) is one Slipway provisions. */
  public static boolean supported(String service) {
    return POSTGRES.equals(service);
  }

  /** Whether {@code name} has the shape of an add-on name made here. */
  public static boolean wellFormedName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** A fresh Heroku-style add-on name, e.g. {@code postgresql-flat-04217}. */
  public static String newName() {
    return "postgresql-"
        + ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size()))
        + "-"
        + String.format("%05d", RANDOM.nextInt(100_000));
  }

  /** Heroku's release description for attaching an add-on. */
  public static String attached(String name) {
    return "Attach DATABASE (@ref:" + name + ")";
  }

  /** Heroku's release description for detaching an add-on. */
  public static String detached(String name) {
    return "Detach DATABASE (@ref:" + name + ")";
  }
}

package dev.slipway.cli.up;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Slipway checkout whose built services {@code up} runs and whose examples demo uses. */
public final class Checkout {

  private Checkout() {}

  /**
   * {@code flag}, else {@code SLIPWAY_HOME}, else the {@code slipway.services.dir} property, else
   * the checkout this CLI was built in, else the working directory.
   */
  public static Path locate(Path flag) {
    if (flag != null) {
      return flag.toAbsolutePath().normalize();
    }
    String home = System.getenv("SLIPWAY_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath().normalize();
    }
    String prop = System.getProperty("slipway.services.dir");
    if (prop != null) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    try {
      // The CLI runs from <checkout>/cli/target/slipway-cli.jar.
      Path jar =
          Path.of(Checkout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path checkout = jar.getParent().getParent().getParent();
      if (checkout != null && Files.isDirectory(checkout.resolve("build-service"))) {
        return checkout;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the working directory
    }
    return Path.of("").toAbsolutePath();
  }
}

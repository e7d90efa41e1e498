package dev.slipway.cli.config;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The installation's data directory: {@code --data-dir}, {@code SLIPWAY_DATA_DIR} or ~/.slipway.
 */
public final class DataDir {

  private DataDir() {}

  public static Path resolve(Path flag, Function<String, String> env) {
    if (flag != null) {
      return flag.toAbsolutePath().normalize();
    }
    String fromEnv = env.apply("SLIPWAY_DATA_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".slipway");
  }
}

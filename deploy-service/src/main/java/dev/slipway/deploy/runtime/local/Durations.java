package dev.slipway.deploy.runtime.local;

import java.time.Duration;

/**
 * Durations as people read them in logs and errors: {@code 60 s}, {@code 1.5 s}, {@code 200 ms}.
 */
final class Durations {
  private Durations() {}

  static String describe(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + " s";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}

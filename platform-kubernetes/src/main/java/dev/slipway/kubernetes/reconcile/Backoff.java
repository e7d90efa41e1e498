package dev.slipway.kubernetes.reconcile;

import java.time.Duration;

/**
 * How long a failed reconcile waits before the next try: doubling from {@code first} up to {@code
 * last}.
 */
public record Backoff(Duration first, Duration last) {

  /** One second doubling to five minutes, what both Slipway operators use. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public Backoff {
    if (first.isNegative() || first.isZero() || last.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < first <= last");
    }
  }

  /** The wait after the {@code failures}-th failure in a row (1 for the first). */
  public Duration after(int failures) {
    Duration delay = first.multipliedBy(1L << Math.min(Math.max(failures, 1) - 1, 16));
    return delay.compareTo(last) > 0 ? last : delay;
  }
}

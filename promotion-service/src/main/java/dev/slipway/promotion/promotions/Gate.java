package dev.slipway.promotion.promotions;

import java.util.Locale;

/** The conditions a promotion must meet before it ships, in the order they are reported. */
public enum Gate {
  /** The source release succeeded. */
  SOURCE_RELEASE,
  /** The test run of the artifact's commit succeeded (if the pipeline asks for it). */
  TESTS,
  /** Enough approvals (if the pipeline asks for any). */
  APPROVALS,
  /** No other promotion to any of the same targets is in flight. */
  TARGETS_FREE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}

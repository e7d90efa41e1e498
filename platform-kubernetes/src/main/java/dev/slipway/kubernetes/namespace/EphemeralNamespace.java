package dev.slipway.kubernetes.namespace;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One ephemeral namespace to have: a review app's ({@code <pipeline>-pr-<n>}) or a test run's
 * ({@code <pipeline>-ci-<n>}), and when it may be reaped.
 *
 * @param number the pull request number of a review app, the run number of a test run
 */
public record EphemeralNamespace(
    String name, Kind kind, String pipeline, int number, Instant expiresAt) {

  public EphemeralNamespace {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!NamespaceNames.isValid(name)) {
      throw new IllegalArgumentException("not a namespace name: " + name);
    }
    if (number < 0) {
      throw new IllegalArgumentException("number must not be negative: " + number);
    }
  }

  /** The review app of pull request {@code pr}, named {@code <pipeline>-pr-<pr>}. */
  public static EphemeralNamespace reviewApp(String pipeline, int pr, Instant expiresAt) {
    return new EphemeralNamespace(
        NamespaceNames.forReviewApp(pipeline, pr), Kind.REVIEW, pipeline, pr, expiresAt);
  }

  /** Test run {@code number}, named {@code <pipeline>-ci-<number>}. */
  public static EphemeralNamespace testRun(String pipeline, int number, Instant expiresAt) {
    return new EphemeralNamespace(
        NamespaceNames.forTestRun(pipeline, number), Kind.TEST, pipeline, number, expiresAt);
  }

  /** What the namespace is for, and the label carrying its number. */
  public enum Kind {
    REVIEW("slipway.dev/pr"),
    TEST("slipway.dev/test-run");

    private final String numberLabel;

    Kind(String numberLabel) {
      this.numberLabel = numberLabel;
    }

    /** {@code review} or {@code test}: the value of {@code slipway.dev/kind}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public String numberLabel() {
      return numberLabel;
    }
  }
}

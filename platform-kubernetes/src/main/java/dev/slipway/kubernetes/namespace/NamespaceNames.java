package dev.slipway.kubernetes.namespace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of ephemeral namespaces, {@code <pipeline>-pr-<n>} and {@code <pipeline>-ci-<n>}: always a
 * DNS-1123 label of at most 63 characters, whatever the pipeline is called.
 */
public final class NamespaceNames {

  /** The longest name Kubernetes accepts for a namespace (and a label value). */
  public static final int MAX_LENGTH = 63;

  private static final Pattern INVALID = Pattern.compile("[^a-z0-9]+");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final int HASH_LENGTH = 6;
  private static final String FALLBACK = "pipeline";

  private NamespaceNames() {}

  /** {@code <pipeline>-pr-<pr>}, the namespace of a pull request's review app. */
  public static String forReviewApp(String pipeline, int pr) {
    return compose(pipeline, "-pr-" + requireNonNegative(pr, "pull request number"));
  }

  /** {@code <pipeline>-ci-<number>}, the namespace of one test run. */
  public static String forTestRun(String pipeline, int number) {
    return compose(pipeline, "-ci-" + requireNonNegative(number, "test run number"));
  }

  /**
   * The pipeline as a label value: the same part that leads its namespaces' names, so a selector on
   * {@code slipway.dev/pipeline} finds every namespace of the pipeline.
   */
  public static String pipelineLabel(String pipeline) {
    return pipelinePart(pipeline, MAX_LENGTH);
  }

  /** Whether {@code name} is a DNS-1123 label Kubernetes accepts as a namespace name. */
  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && LABEL.matcher(name).matches();
  }

  private static String compose(String pipeline, String suffix) {
    return pipelinePart(pipeline, MAX_LENGTH - suffix.length()) + suffix;
  }

  /**
   * The slug of {@code pipeline} within {@code room} characters. A name the slug does not spell
   * exactly (case, dots, unicode) or that had to be cut gets a hash of the original, so two
   * pipelines never share a namespace because their names differ only where the slug cannot tell.
   */
  private static String pipelinePart(String pipeline, int room) {
    if (pipeline == null || pipeline.isBlank()) {
      throw new IllegalArgumentException("a pipeline name is required");
    }
    String slug =
        EDGE_DASHES
            .matcher(INVALID.matcher(pipeline.toLowerCase(Locale.ROOT)).replaceAll("-"))
            .replaceAll("");
    if (slug.equals(pipeline) && slug.length() <= room) {
      return slug;
    }
    String base = slug.isEmpty() ? FALLBACK : slug;
    int keep = Math.min(base.length(), room - HASH_LENGTH - 1);
    String cut = EDGE_DASHES.matcher(base.substring(0, keep)).replaceAll("");
    return cut.isEmpty() ? hash(pipeline) : cut + "-" + hash(pipeline);
  }

  private static String hash(String pipeline) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(pipeline.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static int requireNonNegative(int number, String what) {
    if (number < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + number);
    }
    return number;
  }
}

package dev.slipway.testing.executor.kubernetes;

import dev.slipway.kubernetes.namespace.IsolationPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How test runs run on Kubernetes: see docs/operations.md ({@code slipway.testruns.kubernetes.*}).
 *
 * @param isolation quota, limit range and network policy of every test namespace
 * @param testImage the image each node's tests run in: it needs bash and the app's toolchain
 * @param runAsUser the non-root user (and group) the nodes' containers run as
 * @param fetchImage the image that downloads and unpacks the source bundle (needs sh, curl,
 *     sha256sum and tar)
 * @param sourceUrlTemplate where a source bundle is downloaded from; {@code {digest}} is replaced
 *     by {@code sha256:<hex>}
 * @param fetchToken the bearer token (role viewer) the fetch container sends; copied into each test
 *     namespace as a Secret, because a pod can only read Secrets of its own namespace
 * @param postgresImage the image of the heroku-postgresql add-on (official postgres image layout)
 * @param node what each node's test container requests and is limited to
 * @param postgres what the add-on's database container requests and is limited to
 * @param maxNodes most parallel nodes one run may ask for
 * @param maxBundleBytes largest unpacked source bundle read for its app.json
 * @param scratchDir where bundles are unpacked, briefly, to read their app.json
 * @param pollInterval how often the nodes' Jobs are read
 */
public record KubernetesTestSettings(
    IsolationPolicy isolation,
    String testImage,
    long runAsUser,
    String fetchImage,
    String sourceUrlTemplate,
    String fetchToken,
    String postgresImage,
    Resources node,
    Resources postgres,
    int maxNodes,
    long maxBundleBytes,
    Path scratchDir,
    Duration pollInterval) {

  /** The placeholder {@link #sourceUrlTemplate} must contain. */
  public static final String DIGEST_PLACEHOLDER = "{digest}";

  public KubernetesTestSettings {
    Objects.requireNonNull(isolation, "isolation");
    requireText(testImage, "test-image");
    requireText(fetchImage, "fetch-image");
    requireText(fetchToken, "fetch-token");
    requireText(postgresImage, "postgres-image");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(scratchDir, "scratchDir");
    if (runAsUser < 1) {
      throw new IllegalArgumentException("slipway.testruns.kubernetes.run-as-user must be > 0");
    }
    if (sourceUrlTemplate == null || !sourceUrlTemplate.contains(DIGEST_PLACEHOLDER)) {
      throw new IllegalArgumentException(
          "slipway.testruns.kubernetes.source-url must contain " + DIGEST_PLACEHOLDER);
    }
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("slipway.testruns.kubernetes.poll-interval must be > 0");
    }
    if (maxNodes < 1) {
      throw new IllegalArgumentException("slipway.testruns.max-nodes must be > 0");
    }
  }

  /**
   * Requests and limits of a container, in Kubernetes quantities; all four are needed because the
   * namespace's quota covers requests and limits alike.
   */
  public record Resources(
      String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {

    public Resources {
      requireText(cpuRequest, "cpu-request");
      requireText(memoryRequest, "memory-request");
      requireText(cpuLimit, "cpu-limit");
      requireText(memoryLimit, "memory-limit");
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("slipway.testruns.kubernetes." + name + " is required");
    }
  }
}

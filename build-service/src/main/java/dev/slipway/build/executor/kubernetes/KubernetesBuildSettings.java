package dev.slipway.build.executor.kubernetes;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how build Jobs run: see docs/kubernetes-builds.md for each setting.
 *
 * @param namespace where build Jobs, their pods and config-var Secrets are created
 * @param builderImage a CNB builder image carrying the lifecycle's phases in {@code /cnb/lifecycle}
 * @param imageRepository registry and path prefix images are pushed under, e.g. {@code
 *     registry.example.com/slipway}: an image is {@code <prefix>/<pipeline id>:<build id>}
 * @param registrySecret a {@code kubernetes.io/dockerconfigjson} Secret the lifecycle pushes with,
 *     or null for a registry that needs no credentials
 * @param fetchImage the image that downloads and unpacks the source bundle (needs sh, curl,
 *     sha256sum and tar)
 * @param sourceUrlTemplate where a source bundle is downloaded from; {@code {digest}} is replaced
 *     by {@code sha256:<hex>}
 * @param fetchTokenSecret the Secret holding the bearer token the fetch container sends
 * @param fetchTokenKey the key of the token in that Secret
 * @param platformApi the CNB Platform API the lifecycle is asked to speak
 * @param resources what the build container requests and is limited to
 * @param ttlAfterFinished how long Kubernetes keeps a finished Job this executor failed to delete
 * @param pollInterval how often the Job's status is read
 */
public record KubernetesBuildSettings(
    String namespace,
    String builderImage,
    String imageRepository,
    String registrySecret,
    String fetchImage,
    String sourceUrlTemplate,
    String fetchTokenSecret,
    String fetchTokenKey,
    String platformApi,
    Resources resources,
    Duration ttlAfterFinished,
    Duration pollInterval) {

  /** The placeholder {@link #sourceUrlTemplate} must contain. */
  public static final String DIGEST_PLACEHOLDER = "{digest}";

  public KubernetesBuildSettings {
    requireText(namespace, "namespace");
    requireText(builderImage, "builder-image");
    requireText(imageRepository, "image-repository");
    requireText(fetchImage, "fetch-image");
    requireText(fetchTokenSecret, "fetch-token-secret");
    requireText(fetchTokenKey, "fetch-token-key");
    requireText(platformApi, "platform-api");
    Objects.requireNonNull(resources, "resources");
    if (sourceUrlTemplate == null || !sourceUrlTemplate.contains(DIGEST_PLACEHOLDER)) {
      throw new IllegalArgumentException(
          "slipway.builds.kubernetes.source-url must contain " + DIGEST_PLACEHOLDER);
    }
    if (ttlAfterFinished == null || ttlAfterFinished.isNegative()) {
      throw new IllegalArgumentException("slipway.builds.kubernetes.ttl-after-finished is < 0");
    }
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("slipway.builds.kubernetes.poll-interval must be > 0");
    }
    // A trailing slash would give "registry//pipeline", which registries refuse.
    imageRepository = imageRepository.replaceAll("/+$", "");
    if (registrySecret != null && registrySecret.isBlank()) {
      registrySecret = null;
    }
  }

  /**
   * Requests and limits of each lifecycle phase's container, and the {@code sizeLimit} of the
   * workspace and layers volumes (the build's disk quota), in Kubernetes quantities; a null limit
   * is none.
   */
  public record Resources(
      String cpuRequest,
      String memoryRequest,
      String cpuLimit,
      String memoryLimit,
      String diskLimit) {}

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("slipway.builds.kubernetes." + name + " is required");
    }
  }
}

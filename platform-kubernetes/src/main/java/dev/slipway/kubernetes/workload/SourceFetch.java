package dev.slipway.kubernetes.workload;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/**
 * The init container that gives a build or test pod its source: downloads the source bundle by
 * digest with a bearer token, verifies its sha256, unpacks it into the {@code workspace} volume.
 * One definition for the build-service's and the test-service's Jobs.
 */
public final class SourceFetch {

  /** The container's name. */
  public static final String CONTAINER = "fetch";

  /** Where the bundle is unpacked: an emptyDir volume named {@code workspace}. */
  public static final String WORKSPACE = "/workspace";

  /**
   * Fixed script; every value reaches it as an environment variable, so nothing a user supplies is
   * ever parsed by the shell. The token goes to curl on stdin, not argv, so it does not show in the
   * process list. The bundle is verified before tar sees a byte of it; it is Slipway's own archive,
   * and tar runs unprivileged with only emptyDirs writable.
   */
  public static final String SCRIPT =
      """
      set -eu
      printf 'Authorization: Bearer %s\\n' "$SLIPWAY_FETCH_TOKEN" \\
        | curl --fail --silent --show-error --retry 3 --connect-timeout 10 --max-time 600 \\
            --header @- --output /tmp/source.tar.gz "$SLIPWAY_SOURCE_URL"
      echo "$SLIPWAY_SOURCE_SHA256  /tmp/source.tar.gz" | sha256sum -c -
      tar -xzf /tmp/source.tar.gz -C /workspace
      rm -f /tmp/source.tar.gz
      """;

  private SourceFetch() {}

  /**
   * The container: {@code image} (with sh, curl, sha256sum, tar) fetching {@code url} whose sha256
   * is {@code sha256Hex}, the token from Secret {@code tokenSecret}/{@code tokenKey}. The pod needs
   * emptyDir volumes {@code workspace} and {@code fetch-tmp}.
   */
  public static Container container(
      String image,
      String url,
      String sha256Hex,
      String tokenSecret,
      String tokenKey,
      ResourceRequirements resources) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withCommand("sh", "-c", SCRIPT)
        .withEnv(
            new EnvVarBuilder().withName("SLIPWAY_SOURCE_URL").withValue(url).build(),
            new EnvVarBuilder().withName("SLIPWAY_SOURCE_SHA256").withValue(sha256Hex).build(),
            secretEnv("SLIPWAY_FETCH_TOKEN", tokenSecret, tokenKey))
        .withVolumeMounts(
            new VolumeMountBuilder().withName("workspace").withMountPath(WORKSPACE).build(),
            new VolumeMountBuilder().withName("fetch-tmp").withMountPath("/tmp").build())
        .withResources(resources)
        .withSecurityContext(lockedDown(true))
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  /** A container that may not escalate and holds no capability, as Pod Security restricted asks. */
  public static SecurityContext lockedDown(boolean readOnlyRoot) {
    Capabilities none = new CapabilitiesBuilder().withDrop("ALL").build();
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withCapabilities(none)
        .withReadOnlyRootFilesystem(readOnlyRoot)
        .build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .withOptional(false)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}

package dev.slipway.deploy.runtime.kubernetes;

import dev.slipway.kubernetes.namespace.NamespaceNames;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Kubernetes runtime lays out apps: where images and ReviewApps live, how web is exposed,
 * what every container gets, and how long it waits for rollouts.
 *
 * @param controlNamespace where ReviewApp resources and their config Secrets live (Slipway's own)
 * @param imageRepository registry and path prefix the build-service pushes images under; an image
 *     is {@code <imageRepository>/<pipeline>@<digest>}
 * @param hostPattern the web host of an app, {@code {app}} replaced by its name
 * @param ingressClass the IngressClass of web Ingresses; blank: the cluster's default
 * @param urlScheme {@code https} when the ingress controller terminates TLS for the host pattern
 * @param resources requests and limits of every process container
 * @param rolloutTimeout how long a deploy waits for every Deployment to be rolled out
 * @param progressDeadline the Deployments' {@code progressDeadlineSeconds}
 * @param reviewAppTtl how long after its latest deploy a ReviewApp expires and is reaped
 * @param pollInterval how often rollouts, Jobs and ReviewApp statuses are looked at
 */
public record KubernetesRuntimeSettings(
    String controlNamespace,
    String imageRepository,
    String hostPattern,
    String ingressClass,
    String urlScheme,
    Resources resources,
    Duration rolloutTimeout,
    Duration progressDeadline,
    Duration reviewAppTtl,
    Duration pollInterval) {

  public static final String APP_PLACEHOLDER = "{app}";

  public KubernetesRuntimeSettings {
    if (!NamespaceNames.isValid(controlNamespace)) {
      throw new IllegalArgumentException("not a namespace name: " + controlNamespace);
    }
    if (imageRepository == null || imageRepository.isBlank()) {
      throw new IllegalArgumentException("slipway.runtime.kubernetes.image-repository is required");
    }
    imageRepository = imageRepository.strip().replaceAll("/+$", "");
    if (hostPattern == null || !hostPattern.contains(APP_PLACEHOLDER)) {
      throw new IllegalArgumentException("the host pattern must contain {app}: " + hostPattern);
    }
    ingressClass = ingressClass == null ? "" : ingressClass.strip();
    if (!"http".equals(urlScheme) && !"https".equals(urlScheme)) {
      throw new IllegalArgumentException("the URL scheme must be http or https: " + urlScheme);
    }
    Objects.requireNonNull(resources, "resources");
    requirePositive(rolloutTimeout, "rolloutTimeout");
    requirePositive(progressDeadline, "progressDeadline");
    requirePositive(reviewAppTtl, "reviewAppTtl");
    requirePositive(pollInterval, "pollInterval");
  }

  /** The web host of {@code app}. */
  public String host(String app) {
    return hostPattern.replace(APP_PLACEHOLDER, app);
  }

  /** The image of an artifact: the build-service pushed it to the pipeline's repository. */
  public String image(String pipeline, String digest) {
    // A full reference (a registry host before the digest) is used as it is.
    if (digest.contains("/")) {
      return digest;
    }
    if (!digest.startsWith("sha256:")) {
      throw new IllegalArgumentException(
          "the Kubernetes runtime runs images; artifact " + digest + " is not an image digest");
    }
    return imageRepository + "/" + pipeline + "@" + digest;
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /** Kubernetes quantities for each process container; a blank limit is left unset. */
  public record Resources(
      String requestCpu, String requestMemory, String limitCpu, String limitMemory) {
    public Resources {
      Objects.requireNonNull(requestCpu, "requestCpu");
      Objects.requireNonNull(requestMemory, "requestMemory");
    }
  }
}

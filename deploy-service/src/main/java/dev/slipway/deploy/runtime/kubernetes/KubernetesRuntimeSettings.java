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
 * @param routing how web is exposed: an HTTPRoute on a Gateway (default) or an Ingress
 * @param ingressClass the IngressClass of web Ingresses; blank: the cluster's default
 * @param urlScheme {@code https} when the Gateway or ingress controller terminates TLS for the host
 *     pattern
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
    Routing routing,
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
    Objects.requireNonNull(routing, "routing");
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

  /**
   * How an app's web process is reached from outside.
   *
   * @param kind an HTTPRoute (Gateway API) or an Ingress
   * @param gatewayName the Gateway HTTPRoutes attach to
   * @param gatewayNamespace that Gateway's namespace; it must allow routes from Slipway's
   *     namespaces
   * @param gatewaySectionName the Gateway listener to attach to; blank: every listener that accepts
   *     the route
   */
  public record Routing(
      Kind kind, String gatewayName, String gatewayNamespace, String gatewaySectionName) {

    public Routing {
      Objects.requireNonNull(kind, "kind");
      gatewaySectionName = gatewaySectionName == null ? "" : gatewaySectionName.strip();
      if (kind == Kind.HTTP_ROUTE) {
        if (gatewayName == null || gatewayName.isBlank()) {
          throw new IllegalArgumentException(
              "slipway.runtime.kubernetes.gateway.name is required with routing httproute");
        }
        if (!NamespaceNames.isValid(gatewayNamespace)) {
          throw new IllegalArgumentException(
              "slipway.runtime.kubernetes.gateway.namespace: not a namespace name: "
                  + gatewayNamespace);
        }
      }
    }

    /** The Gateway API's conventional defaults: Gateway {@code slipway} in {@code slipway}. */
    public static Routing httpRoute(String gatewayName, String gatewayNamespace) {
      return new Routing(Kind.HTTP_ROUTE, gatewayName, gatewayNamespace, "");
    }

    public static Routing ingress() {
      return new Routing(Kind.INGRESS, null, null, "");
    }

    /** The object exposing web. */
    public enum Kind {
      HTTP_ROUTE,
      INGRESS;

      /** {@code httproute} or {@code ingress}. */
      public static Kind of(String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT)) {
          case "httproute" -> HTTP_ROUTE;
          case "ingress" -> INGRESS;
          default ->
              throw new IllegalArgumentException(
                  "slipway.runtime.kubernetes.routing must be httproute or ingress, not " + value);
        };
      }
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

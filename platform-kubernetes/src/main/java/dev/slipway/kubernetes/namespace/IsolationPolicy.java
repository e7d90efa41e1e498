package dev.slipway.kubernetes.namespace;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How tightly an ephemeral namespace is fenced: its quota, the per-container defaults of its limit
 * range, which namespace the ingress controller runs in, and where its pods may connect to.
 *
 * @param quota the namespace's ResourceQuota ({@code slipway-quota})
 * @param containerDefaults the LimitRange ({@code slipway-limits}) defaults for containers that
 *     declare no resources of their own
 * @param ingressControllerNamespace the only other namespace whose pods may connect in
 * @param egress where pods may connect out to
 * @param egressNamespaces namespaces pods may always connect to whatever {@code egress} says, e.g.
 *     the platform's own namespace for fetching source bundles
 * @param extraLabels labels added to every namespace (say, for a cost-centre), never overriding
 *     Slipway's own
 * @param access the service's rights inside the namespace, granted by a RoleBinding in it
 */
public record IsolationPolicy(
    Quota quota,
    ContainerDefaults containerDefaults,
    String ingressControllerNamespace,
    Egress egress,
    List<String> egressNamespaces,
    Map<String, String> extraLabels,
    ManagedNamespaceAccess access) {

  public IsolationPolicy {
    Objects.requireNonNull(quota, "quota");
    Objects.requireNonNull(containerDefaults, "containerDefaults");
    Objects.requireNonNull(egress, "egress");
    if (!NamespaceNames.isValid(ingressControllerNamespace)) {
      throw new IllegalArgumentException(
          "not a namespace name: ingress controller namespace " + ingressControllerNamespace);
    }
    egressNamespaces = List.copyOf(egressNamespaces == null ? List.of() : egressNamespaces);
    for (String namespace : egressNamespaces) {
      if (!NamespaceNames.isValid(namespace)) {
        throw new IllegalArgumentException("not a namespace name: egress namespace " + namespace);
      }
    }
    extraLabels = Map.copyOf(extraLabels == null ? Map.of() : extraLabels);
    Objects.requireNonNull(access, "access");
  }

  /**
   * Room for a small app and its add-ons: 4 CPUs / 8 GiB requested, 8 CPUs / 16 GiB limits, 20
   * pods; containers without resources get 100m / 256Mi requested, 1 CPU / 1 GiB limits; {@code
   * service}'s default {@link ManagedNamespaceAccess}.
   */
  public static IsolationPolicy defaults(String service) {
    return new IsolationPolicy(
        new Quota("4", "8Gi", "8", "16Gi", 20),
        new ContainerDefaults("100m", "256Mi", "1", "1Gi"),
        "ingress-nginx",
        Egress.ALL,
        List.of(),
        Map.of(),
        ManagedNamespaceAccess.defaults(service));
  }

  public IsolationPolicy withEgress(Egress mode) {
    return new IsolationPolicy(
        quota,
        containerDefaults,
        ingressControllerNamespace,
        mode,
        egressNamespaces,
        extraLabels,
        access);
  }

  public IsolationPolicy withEgressNamespaces(List<String> namespaces) {
    return new IsolationPolicy(
        quota,
        containerDefaults,
        ingressControllerNamespace,
        egress,
        namespaces,
        extraLabels,
        access);
  }

  public IsolationPolicy withAccess(ManagedNamespaceAccess granted) {
    return new IsolationPolicy(
        quota,
        containerDefaults,
        ingressControllerNamespace,
        egress,
        egressNamespaces,
        extraLabels,
        granted);
  }

  /** The namespace's ResourceQuota, in Kubernetes quantities. */
  public record Quota(
      String requestsCpu, String requestsMemory, String limitsCpu, String limitsMemory, int pods) {

    public Quota {
      Objects.requireNonNull(requestsCpu, "requestsCpu");
      Objects.requireNonNull(requestsMemory, "requestsMemory");
      Objects.requireNonNull(limitsCpu, "limitsCpu");
      Objects.requireNonNull(limitsMemory, "limitsMemory");
      if (pods < 1) {
        throw new IllegalArgumentException("a quota must allow at least one pod");
      }
    }
  }

  /**
   * What a container that declares no resources gets; a quota on limits makes Kubernetes refuse
   * such a container otherwise.
   */
  public record ContainerDefaults(
      String requestCpu, String requestMemory, String limitCpu, String limitMemory) {

    public ContainerDefaults {
      Objects.requireNonNull(requestCpu, "requestCpu");
      Objects.requireNonNull(requestMemory, "requestMemory");
      Objects.requireNonNull(limitCpu, "limitCpu");
      Objects.requireNonNull(limitMemory, "limitMemory");
    }
  }

  /** Where pods may connect out to, besides their own namespace and {@code egressNamespaces}. */
  public enum Egress {
    /** Anywhere: tests and review apps usually download dependencies and call APIs. */
    ALL,
    /** Only the cluster DNS in kube-system. */
    DNS_ONLY,
    /** Nowhere, not even DNS. */
    NONE;

    /** {@code all}, {@code dns-only} or {@code none}. */
    public static Egress of(String mode) {
      return switch (mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT)) {
        case "all" -> ALL;
        case "dns-only" -> DNS_ONLY;
        case "none" -> NONE;
        default ->
            throw new IllegalArgumentException(
                "egress mode must be all, dns-only or none, not " + mode);
      };
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}

package dev.slipway.deploy.config;

import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.kubernetes.namespace.IsolationPolicy;
import dev.slipway.kubernetes.namespace.ManagedNamespaceAccess;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code slipway.runtime.kubernetes.*}: the Kubernetes runtime and its namespaces' isolation. */
@ConfigMapping(prefix = "slipway.runtime.kubernetes")
public interface KubernetesRuntimeConfig {

  @WithDefault("slipway")
  String controlNamespace();

  Optional<String> imageRepository();

  @WithDefault("{app}.apps.example.com")
  String hostPattern();

  /** {@code httproute} (Gateway API, the default) or {@code ingress}. */
  @WithDefault("httproute")
  String routing();

  Gateway gateway();

  /** The Gateway every HTTPRoute attaches to. */
  interface Gateway {
    @WithDefault("slipway")
    String name();

    @WithDefault("slipway")
    String namespace();

    /** The listener; unset: every listener that accepts the route. */
    Optional<String> sectionName();
  }

  @WithDefault("nginx")
  String ingressClass();

  @WithDefault("https")
  String urlScheme();

  @WithDefault("100m")
  String cpuRequest();

  @WithDefault("512Mi")
  String memoryRequest();

  @WithDefault("1")
  String cpuLimit();

  @WithDefault("512Mi")
  String memoryLimit();

  @WithDefault("5m")
  Duration rolloutTimeout();

  @WithDefault("2m")
  Duration progressDeadline();

  @WithDefault("7d")
  Duration reviewAppTtl();

  @WithDefault("2s")
  Duration pollInterval();

  Isolation isolation();

  /** The fence of every namespace Slipway runs apps in. */
  interface Isolation {
    @WithDefault("ingress-nginx")
    String ingressNamespace();

    @WithDefault("all")
    String egress();

    Optional<List<String>> egressNamespaces();

    @WithDefault("4")
    String quotaRequestsCpu();

    @WithDefault("8Gi")
    String quotaRequestsMemory();

    @WithDefault("8")
    String quotaLimitsCpu();

    @WithDefault("16Gi")
    String quotaLimitsMemory();

    @WithDefault("20")
    int quotaPods();

    Map<String, String> labels();

    /** The RoleBinding granting this service its rights in each namespace it manages. */
    @WithDefault("slipway-deploy-service-in-managed-namespace")
    String roleBinding();

    /** The ClusterRole that RoleBinding binds (installed with Slipway). */
    @WithDefault("slipway-deploy-service-in-managed-namespace")
    String clusterRole();

    /** This service's ServiceAccount. */
    @WithDefault("deploy-service")
    String serviceAccount();

    /** The namespace this service runs in. */
    @WithDefault("slipway")
    String serviceAccountNamespace();
  }

  default KubernetesRuntimeSettings settings() {
    return new KubernetesRuntimeSettings(
        controlNamespace(),
        imageRepository()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "slipway.runtime.kubernetes.image-repository is required with"
                            + " slipway.runtime.kind=kubernetes")),
        hostPattern(),
        new KubernetesRuntimeSettings.Routing(
            KubernetesRuntimeSettings.Routing.Kind.of(routing()),
            gateway().name(),
            gateway().namespace(),
            gateway().sectionName().orElse("")),
        ingressClass(),
        urlScheme(),
        new KubernetesRuntimeSettings.Resources(
            cpuRequest(), memoryRequest(), cpuLimit(), memoryLimit()),
        rolloutTimeout(),
        progressDeadline(),
        reviewAppTtl(),
        pollInterval());
  }

  default IsolationPolicy isolationPolicy() {
    Isolation i = isolation();
    return new IsolationPolicy(
        new IsolationPolicy.Quota(
            i.quotaRequestsCpu(),
            i.quotaRequestsMemory(),
            i.quotaLimitsCpu(),
            i.quotaLimitsMemory(),
            i.quotaPods()),
        IsolationPolicy.defaults("deploy-service").containerDefaults(),
        i.ingressNamespace(),
        IsolationPolicy.Egress.of(i.egress()),
        i.egressNamespaces().orElse(List.of()),
        i.labels(),
        new ManagedNamespaceAccess(
            i.roleBinding(), i.clusterRole(), i.serviceAccount(), i.serviceAccountNamespace()));
  }
}

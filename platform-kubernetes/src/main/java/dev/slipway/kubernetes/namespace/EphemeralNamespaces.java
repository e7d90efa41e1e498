package dev.slipway.kubernetes.namespace;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * Creates, converges and deletes isolated ephemeral namespaces (review apps, test runs): labelled
 * as Slipway's, Pod Security {@code restricted}, fenced by quota, limit range and default-deny
 * network policies, with no service-account token mounted. Every method is idempotent.
 */
public final class EphemeralNamespaces {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "slipway";
  public static final String PIPELINE_LABEL = "slipway.dev/pipeline";
  public static final String KIND_LABEL = "slipway.dev/kind";
  public static final String EXPIRES_AT = "slipway.dev/expires-at";

  /** The pipeline's own name, which the label can only abbreviate. */
  public static final String PIPELINE_NAME = "slipway.dev/pipeline-name";

  /** Set by the API server on every namespace since Kubernetes 1.22; selectors rely on it. */
  public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  public static final String QUOTA = "slipway-quota";
  public static final String LIMITS = "slipway-limits";
  public static final String DEFAULT_DENY = "default-deny";
  public static final String ALLOW_SAME_NAMESPACE = "allow-same-namespace";
  public static final String ALLOW_INGRESS_CONTROLLER = "allow-ingress-controller";
  public static final String ALLOW_DNS = "allow-dns";
  public static final String ALLOW_EGRESS = "allow-egress";
  public static final String ALLOW_EGRESS_TO = "allow-egress-to-";
  public static final String DEFAULT_SERVICE_ACCOUNT = "default";
  public static final String APP_SERVICE_ACCOUNT = "slipway-app";

  private static final String DNS_NAMESPACE = "kube-system";

  private final KubernetesClient client;
  private final IsolationPolicy policy;

  public EphemeralNamespaces(KubernetesClient client, IsolationPolicy policy) {
    this.client = Objects.requireNonNull(client, "client");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public IsolationPolicy policy() {
    return policy;
  }

  /**
   * Makes the namespace exist exactly as {@code spec} and the policy say, from whatever state it is
   * in: missing objects are created, edited ones restored, stale network policies removed.
   *
   * @throws IllegalStateException when a namespace of that name exists but is not Slipway's, or is
   *     being deleted
   */
  public Namespace ensure(EphemeralNamespace spec) {
    String name = spec.name();
    convergeNamespace(spec);
    // First: the service's rights in the namespace come from this binding (least privilege).
    grantAccess(name);
    NonNamespaceOperation<ResourceQuota, ?, Resource<ResourceQuota>> quotas =
        client.resourceQuotas().inNamespace(name);
    converge(quotas, quota(name), (a, b) -> Objects.equals(a.getSpec(), b.getSpec()));
    converge(
        client.limitRanges().inNamespace(name),
        limitRange(name),
        (a, b) -> Objects.equals(a.getSpec(), b.getSpec()));
    convergeNetworkPolicies(name);
    convergeServiceAccount(name, DEFAULT_SERVICE_ACCOUNT);
    convergeServiceAccount(name, APP_SERVICE_ACCOUNT);
    return client.namespaces().withName(name).get();
  }

  /**
   * Makes the RoleBinding that grants the service its rights inside managed namespace {@code name}
   * exist exactly as {@link #accessBinding} says. Creating it needs only the cluster-wide right to
   * bind that one ClusterRole; everything else the service does there needs it.
   */
  public void grantAccess(String name) {
    RoleBinding desired = accessBinding(name);
    var bindings = client.rbac().roleBindings().inNamespace(name);
    RoleBinding existing = bindings.withName(desired.getMetadata().getName()).get();
    if (existing != null && !Objects.equals(existing.getRoleRef(), desired.getRoleRef())) {
      // The API server refuses to change a roleRef: a binding to another role is replaced.
      bindings.withName(desired.getMetadata().getName()).delete();
    }
    converge(
        bindings,
        desired,
        (a, b) ->
            Objects.equals(a.getRoleRef(), b.getRoleRef())
                && Objects.equals(a.getSubjects(), b.getSubjects()));
  }

  /**
   * The RoleBinding in managed namespace {@code namespace}: the policy's ClusterRole bound to the
   * service's ServiceAccount in the platform namespace.
   */
  public RoleBinding accessBinding(String namespace) {
    ManagedNamespaceAccess access = policy.access();
    return new RoleBindingBuilder()
        .withMetadata(meta(access.roleBinding(), namespace))
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(access.clusterRole())
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(access.serviceAccount())
        .withNamespace(access.serviceAccountNamespace())
        .endSubject()
        .build();
  }

  /**
   * Deletes the namespace and everything in it; a namespace already gone is no error.
   *
   * @throws IllegalStateException when the namespace is not labelled as Slipway's: Slipway never
   *     deletes what it did not create
   */
  public void delete(String name) {
    Namespace existing = client.namespaces().withName(name).get();
    if (existing == null) {
      return;
    }
    requireManaged(existing);
    client.namespaces().withName(name).delete();
  }

  /** Every namespace labelled as Slipway's, ephemeral or not. */
  public List<Namespace> managed() {
    return client.namespaces().withLabel(MANAGED_BY, MANAGER).list().getItems();
  }

  /** Slipway's namespaces of one kind. */
  public List<Namespace> managed(EphemeralNamespace.Kind kind) {
    return client
        .namespaces()
        .withLabel(MANAGED_BY, MANAGER)
        .withLabel(KIND_LABEL, kind.wireName())
        .list()
        .getItems();
  }

  /**
   * Since when a namespace has been terminating, if it is: one stuck there (a finalizer nobody
   * removes) is worth reporting.
   */
  public Optional<Instant> terminatingSince(String name) {
    Namespace ns = client.namespaces().withName(name).get();
    if (ns == null || ns.getMetadata().getDeletionTimestamp() == null) {
      return Optional.empty();
    }
    return Optional.of(Instant.parse(ns.getMetadata().getDeletionTimestamp()));
  }

  /** The labels Slipway keeps on the namespace of {@code spec}. */
  public Map<String, String> labels(EphemeralNamespace spec) {
    Map<String, String> labels = new LinkedHashMap<>(policy.extraLabels());
    labels.put(MANAGED_BY, MANAGER);
    labels.put(PIPELINE_LABEL, NamespaceNames.pipelineLabel(spec.pipeline()));
    labels.put(KIND_LABEL, spec.kind().wireName());
    labels.put(spec.kind().numberLabel(), Integer.toString(spec.number()));
    for (String mode : List.of("enforce", "audit", "warn")) {
      labels.put("pod-security.kubernetes.io/" + mode, "restricted");
      labels.put("pod-security.kubernetes.io/" + mode + "-version", "latest");
    }
    return labels;
  }

  /** The annotations Slipway keeps on the namespace of {@code spec}. */
  public Map<String, String> annotations(EphemeralNamespace spec) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(EXPIRES_AT, spec.expiresAt().toString());
    annotations.put(PIPELINE_NAME, spec.pipeline());
    return annotations;
  }

  private void convergeNamespace(EphemeralNamespace spec) {
    Map<String, String> labels = labels(spec);
    Map<String, String> annotations = annotations(spec);
    Namespace existing = client.namespaces().withName(spec.name()).get();
    if (existing == null) {
      Namespace desired =
          new NamespaceBuilder()
              .withNewMetadata()
              .withName(spec.name())
              .withLabels(labels)
              .withAnnotations(annotations)
              .endMetadata()
              .build();
      try {
        client.namespaces().resource(desired).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = client.namespaces().withName(spec.name()).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    requireManaged(existing);
    if (existing.getMetadata().getDeletionTimestamp() != null) {
      throw new IllegalStateException(
          "namespace " + spec.name() + " is still being deleted; try again once it is gone");
    }
    if (!containsAll(existing.getMetadata().getLabels(), labels)
        || !containsAll(existing.getMetadata().getAnnotations(), annotations)) {
      client
          .namespaces()
          .withName(spec.name())
          .edit(
              ns -> {
                // Labels others set (kubernetes.io/metadata.name, a policy engine's) are kept.
                ObjectMeta meta = ns.getMetadata();
                meta.setLabels(merged(meta.getLabels(), labels));
                meta.setAnnotations(merged(meta.getAnnotations(), annotations));
                return ns;
              });
    }
  }

  private ResourceQuota quota(String namespace) {
    IsolationPolicy.Quota q = policy.quota();
    Map<String, Quantity> hard = new TreeMap<>();
    hard.put("requests.cpu", new Quantity(q.requestsCpu()));
    hard.put("requests.memory", new Quantity(q.requestsMemory()));
    hard.put("limits.cpu", new Quantity(q.limitsCpu()));
    hard.put("limits.memory", new Quantity(q.limitsMemory()));
    hard.put("pods", new Quantity(Integer.toString(q.pods())));
    return new ResourceQuotaBuilder()
        .withMetadata(meta(QUOTA, namespace))
        .withNewSpec()
        .withHard(hard)
        .endSpec()
        .build();
  }

  private LimitRange limitRange(String namespace) {
    IsolationPolicy.ContainerDefaults d = policy.containerDefaults();
    return new LimitRangeBuilder()
        .withMetadata(meta(LIMITS, namespace))
        .withNewSpec()
        .addNewLimit()
        .withType("Container")
        .addToDefaultRequest("cpu", new Quantity(d.requestCpu()))
        .addToDefaultRequest("memory", new Quantity(d.requestMemory()))
        .addToDefault("cpu", new Quantity(d.limitCpu()))
        .addToDefault("memory", new Quantity(d.limitMemory()))
        .endLimit()
        .endSpec()
        .build();
  }

  /** The network policies the namespace should have, for the policy's egress mode. */
  public List<NetworkPolicy> networkPolicies(String namespace) {
    LabelSelector everyPod = new LabelSelector();
    List<NetworkPolicy> policies = new ArrayList<>();
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta(DEFAULT_DENY, namespace))
            .withNewSpec()
            .withPodSelector(everyPod)
            .withPolicyTypes("Ingress", "Egress")
            .endSpec()
            .build());
    NetworkPolicyPeer sameNamespace =
        new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelector()).build();
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta(ALLOW_SAME_NAMESPACE, namespace))
            .withNewSpec()
            .withPodSelector(everyPod)
            .addNewIngress()
            .withFrom(sameNamespace)
            .endIngress()
            .addNewEgress()
            .withTo(sameNamespace)
            .endEgress()
            .withPolicyTypes("Ingress", "Egress")
            .endSpec()
            .build());
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta(ALLOW_INGRESS_CONTROLLER, namespace))
            .withNewSpec()
            .withPodSelector(everyPod)
            .addNewIngress()
            .withFrom(namespacePeer(policy.ingressControllerNamespace()))
            .endIngress()
            .withPolicyTypes("Ingress")
            .endSpec()
            .build());
    switch (policy.egress()) {
      case ALL ->
          policies.add(
              new NetworkPolicyBuilder()
                  .withMetadata(meta(ALLOW_EGRESS, namespace))
                  .withNewSpec()
                  .withPodSelector(everyPod)
                  .addNewEgress()
                  .endEgress()
                  .withPolicyTypes("Egress")
                  .endSpec()
                  .build());
      case DNS_ONLY ->
          policies.add(
              new NetworkPolicyBuilder()
                  .withMetadata(meta(ALLOW_DNS, namespace))
                  .withNewSpec()
                  .withPodSelector(everyPod)
                  .addNewEgress()
                  .withTo(namespacePeer(DNS_NAMESPACE))
                  .withPorts(port("UDP", 53), port("TCP", 53))
                  .endEgress()
                  .withPolicyTypes("Egress")
                  .endSpec()
                  .build());
      case NONE -> {}
    }
    for (String target : policy.egressNamespaces()) {
      policies.add(
          new NetworkPolicyBuilder()
              .withMetadata(meta(ALLOW_EGRESS_TO + target, namespace))
              .withNewSpec()
              .withPodSelector(everyPod)
              .addNewEgress()
              .withTo(namespacePeer(target))
              .endEgress()
              .withPolicyTypes("Egress")
              .endSpec()
              .build());
    }
    return policies;
  }

  private void convergeNetworkPolicies(String namespace) {
    var policies = client.network().v1().networkPolicies().inNamespace(namespace);
    List<NetworkPolicy> desired = networkPolicies(namespace);
    for (NetworkPolicy p : desired) {
      converge(policies, p, (a, b) -> Objects.equals(a.getSpec(), b.getSpec()));
    }
    // A policy of an earlier egress mode would keep admitting what the current one forbids.
    Set<String> wanted =
        desired.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    for (NetworkPolicy p : policies.withLabel(MANAGED_BY, MANAGER).list().getItems()) {
      if (!wanted.contains(p.getMetadata().getName())) {
        policies.withName(p.getMetadata().getName()).delete();
      }
    }
  }

  /**
   * Creates the ServiceAccount with token automount off, or turns automount off on the one there:
   * Kubernetes' controller may create {@code default} first, and may own fields Slipway does not.
   */
  private void convergeServiceAccount(String namespace, String name) {
    var accounts = client.serviceAccounts().inNamespace(namespace);
    ServiceAccount existing = accounts.withName(name).get();
    if (existing == null) {
      ObjectMeta meta =
          DEFAULT_SERVICE_ACCOUNT.equals(name)
              ? new ObjectMetaBuilder().withName(name).withNamespace(namespace).build()
              : meta(name, namespace);
      ServiceAccount desired =
          new ServiceAccountBuilder()
              .withMetadata(meta)
              .withAutomountServiceAccountToken(false)
              .build();
      try {
        accounts.resource(desired).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = accounts.withName(name).get();
      }
    }
    if (existing != null && !Boolean.FALSE.equals(existing.getAutomountServiceAccountToken())) {
      accounts
          .withName(name)
          .edit(
              sa -> new ServiceAccountBuilder(sa).withAutomountServiceAccountToken(false).build());
    }
  }

  /**
   * Creates {@code desired}, or replaces what is there when {@code same} says it differs; objects
   * converged this way are wholly Slipway's, so a replace loses nothing anyone else set.
   */
  private static <T extends HasMetadata> void converge(
      NonNamespaceOperation<T, ?, Resource<T>> kind, T desired, BiPredicate<T, T> same) {
    String name = desired.getMetadata().getName();
    T existing = kind.withName(name).get();
    if (existing == null) {
      try {
        kind.resource(desired).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = kind.withName(name).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    if (!same.test(existing, desired)
        || !containsAll(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      kind.resource(desired).update();
    }
  }

  private static void requireManaged(Namespace ns) {
    Map<String, String> labels = ns.getMetadata().getLabels();
    if (labels == null || !MANAGER.equals(labels.get(MANAGED_BY))) {
      throw new IllegalStateException(
          "namespace "
              + ns.getMetadata().getName()
              + " is not labelled "
              + MANAGED_BY
              + "="
              + MANAGER
              + "; Slipway leaves it alone");
    }
  }

  private static ObjectMeta meta(String name, String namespace) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(new HashMap<>(Map.of(MANAGED_BY, MANAGER)))
        .build();
  }

  private static NetworkPolicyPeer namespacePeer(String namespace) {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(
            new LabelSelectorBuilder().addToMatchLabels(NAMESPACE_NAME_LABEL, namespace).build())
        .build();
  }

  private static NetworkPolicyPort port(String protocol, int number) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(number))
        .build();
  }

  private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      return true;
    }
    return actual != null && actual.entrySet().containsAll(wanted.entrySet());
  }

  private static Map<String, String> merged(Map<String, String> base, Map<String, String> ours) {
    Map<String, String> result = base == null ? new LinkedHashMap<>() : new LinkedHashMap<>(base);
    result.putAll(ours);
    return result;
  }
}

package dev.slipway.kubernetes.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The namespaces Slipway makes for review apps and test runs, as a CRUD API server stores them. */
@EnableKubernetesMockClient(crud = true)
class EphemeralNamespacesTest {

  private static final Instant EXPIRES = Instant.parse("2026-03-02T12:00:00Z");
  private static final String NS = "shop-pr-42";

  KubernetesMockServer server;
  KubernetesClient client;
  private final List<KubernetesClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(KubernetesClient::close);
  }

  @Test
  void reviewAppNamespaceIsLabelledRestrictedAndAnnotatedWithItsExpiry() {
    Namespace ns = namespaces(IsolationPolicy.defaults("test-service")).ensure(reviewApp());

    assertEquals(NS, ns.getMetadata().getName());
    Map<String, String> expected = new TreeMap<>();
    expected.put("app.kubernetes.io/managed-by", "slipway");
    expected.put("slipway.dev/pipeline", "shop");
    expected.put("slipway.dev/kind", "review");
    expected.put("slipway.dev/pr", "42");
    expected.put("pod-security.kubernetes.io/enforce", "restricted");
    expected.put("pod-security.kubernetes.io/enforce-version", "latest");
    expected.put("pod-security.kubernetes.io/audit", "restricted");
    expected.put("pod-security.kubernetes.io/audit-version", "latest");
    expected.put("pod-security.kubernetes.io/warn", "restricted");
    expected.put("pod-security.kubernetes.io/warn-version", "latest");
    assertEquals(expected, new TreeMap<>(ns.getMetadata().getLabels()));
    assertEquals(
        Map.of(
            "slipway.dev/expires-at", "2026-03-02T12:00:00Z", "slipway.dev/pipeline-name", "shop"),
        ns.getMetadata().getAnnotations());
  }

  @Test
  void managedNamespaceGrantsTheServiceItsRightsThereThroughExactlyOneRoleBinding() {
    namespaces(IsolationPolicy.defaults("deploy-service")).ensure(reviewApp());

    List<RoleBinding> bindings = client.rbac().roleBindings().inNamespace(NS).list().getItems();
    assertEquals(1, bindings.size());
    RoleBinding binding = bindings.get(0);
    assertEquals("slipway-deploy-service-in-managed-namespace", binding.getMetadata().getName());
    assertEquals(
        Map.of("app.kubernetes.io/managed-by", "slipway"), binding.getMetadata().getLabels());
    assertEquals(
        new RoleRefBuilder()
            .withApiGroup("rbac.authorization.k8s.io")
            .withKind("ClusterRole")
            .withName("slipway-deploy-service-in-managed-namespace")
            .build(),
        binding.getRoleRef());
    assertEquals(
        List.of(
            new SubjectBuilder()
                .withKind("ServiceAccount")
                .withName("deploy-service")
                .withNamespace("slipway")
                .build()),
        binding.getSubjects());
  }

  @Test
  void roleBindingEditedByHandIsRestoredWithTheConfiguredNames() {
    IsolationPolicy policy =
        IsolationPolicy.defaults("test-service")
            .withAccess(
                new ManagedNamespaceAccess("tests-here", "slipway-tests", "runner", "platform"));
    EphemeralNamespaces namespaces = namespaces(policy);
    namespaces.ensure(reviewApp());
    client
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .withName("tests-here")
        .edit(
            b -> {
              b.getRoleRef().setName("cluster-admin");
              b.getSubjects().add(new SubjectBuilder().withKind("Group").withName("all").build());
              return b;
            });

    namespaces.ensure(reviewApp());

    RoleBinding binding = client.rbac().roleBindings().inNamespace(NS).withName("tests-here").get();
    assertEquals("slipway-tests", binding.getRoleRef().getName());
    assertEquals(
        List.of(
            new SubjectBuilder()
                .withKind("ServiceAccount")
                .withName("runner")
                .withNamespace("platform")
                .build()),
        binding.getSubjects());
    assertEquals(1, client.rbac().roleBindings().inNamespace(NS).list().getItems().size());
  }

  @Test
  void testRunNamespaceCarriesTheRunNumberAndExtraLabels() {
    IsolationPolicy policy =
        new IsolationPolicy(
            IsolationPolicy.defaults("test-service").quota(),
            IsolationPolicy.defaults("test-service").containerDefaults(),
            "ingress-nginx",
            IsolationPolicy.Egress.ALL,
            List.of(),
            Map.of("team", "payments", "slipway.dev/kind", "ignored"),
            ManagedNamespaceAccess.defaults("test-service"));
    Namespace ns = namespaces(policy).ensure(EphemeralNamespace.testRun("Shop.Web", 7, EXPIRES));

    assertTrue(ns.getMetadata().getName().matches("shop-web-[0-9a-f]{6}-ci-7"));
    Map<String, String> labels = ns.getMetadata().getLabels();
    assertEquals("test", labels.get("slipway.dev/kind"), "extra labels never override Slipway's");
    assertEquals("7", labels.get("slipway.dev/test-run"));
    assertEquals("payments", labels.get("team"));
    assertFalse(labels.containsKey("slipway.dev/pr"));
    assertEquals(NamespaceNames.pipelineLabel("Shop.Web"), labels.get("slipway.dev/pipeline"));
    assertEquals("Shop.Web", ns.getMetadata().getAnnotations().get("slipway.dev/pipeline-name"));
  }

  @Test
  void quotaAndLimitRangeComeFromThePolicy() {
    namespaces(IsolationPolicy.defaults("test-service")).ensure(reviewApp());

    ResourceQuota quota = client.resourceQuotas().inNamespace(NS).withName("slipway-quota").get();
    assertEquals(
        Map.of("app.kubernetes.io/managed-by", "slipway"), quota.getMetadata().getLabels());
    assertEquals(
        Map.of(
            "requests.cpu", new Quantity("4"),
            "requests.memory", new Quantity("8Gi"),
            "limits.cpu", new Quantity("8"),
            "limits.memory", new Quantity("16Gi"),
            "pods", new Quantity("20")),
        quota.getSpec().getHard());
    List<LimitRangeItem> limits =
        client.limitRanges().inNamespace(NS).withName("slipway-limits").get().getSpec().getLimits();
    assertEquals(1, limits.size());
    assertEquals("Container", limits.get(0).getType());
    assertEquals(
        Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")),
        limits.get(0).getDefaultRequest());
    assertEquals(
        Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi")),
        limits.get(0).getDefault());
  }

  @Test
  void networkPoliciesDenyAllButTheNamespaceItselfAndTheIngressControllerWithEgressOpen() {
    namespaces(IsolationPolicy.defaults("test-service")).ensure(reviewApp());

    assertPolicies(
        Map.of(
            "default-deny", DEFAULT_DENY,
            "allow-same-namespace", SAME_NAMESPACE,
            "allow-ingress-controller", INGRESS_CONTROLLER,
            "allow-egress",
                """
                podSelector: {}
                egress:
                - {}
                policyTypes: [Egress]
                """));
  }

  @Test
  void dnsOnlyEgressAdmitsClusterDnsAndTheListedNamespacesOnly() {
    IsolationPolicy policy =
        IsolationPolicy.defaults("test-service")
            .withEgress(IsolationPolicy.Egress.DNS_ONLY)
            .withEgressNamespaces(List.of("slipway"));
    namespaces(policy).ensure(reviewApp());

    assertPolicies(
        Map.of(
            "default-deny", DEFAULT_DENY,
            "allow-same-namespace", SAME_NAMESPACE,
            "allow-ingress-controller", INGRESS_CONTROLLER,
            "allow-dns",
                """
                podSelector: {}
                egress:
                - to:
                  - namespaceSelector:
                      matchLabels:
                        kubernetes.io/metadata.name: kube-system
                  ports:
                  - protocol: UDP
                    port: 53
                  - protocol: TCP
                    port: 53
                policyTypes: [Egress]
                """,
            "allow-egress-to-slipway",
                """
                podSelector: {}
                egress:
                - to:
                  - namespaceSelector:
                      matchLabels:
                        kubernetes.io/metadata.name: slipway
                policyTypes: [Egress]
                """));
  }

  @Test
  void noEgressLeavesOnlyTheNamespaceItself() {
    namespaces(IsolationPolicy.defaults("test-service").withEgress(IsolationPolicy.Egress.NONE))
        .ensure(reviewApp());

    assertPolicies(
        Map.of(
            "default-deny", DEFAULT_DENY,
            "allow-same-namespace", SAME_NAMESPACE,
            "allow-ingress-controller", INGRESS_CONTROLLER));
  }

  @Test
  void changingTheEgressModeRemovesThePolicyOfTheOldMode() {
    namespaces(IsolationPolicy.defaults("test-service")).ensure(reviewApp());
    namespaces(IsolationPolicy.defaults("test-service").withEgress(IsolationPolicy.Egress.DNS_ONLY))
        .ensure(reviewApp());

    assertEquals(
        List.of("allow-dns", "allow-ingress-controller", "allow-same-namespace", "default-deny"),
        policies().keySet().stream().sorted().toList());
  }

  @Test
  void serviceAccountsMountNoToken() {
    namespaces(IsolationPolicy.defaults("test-service")).ensure(reviewApp());

    for (String name : List.of("default", "slipway-app")) {
      assertEquals(
          Boolean.FALSE,
          client
              .serviceAccounts()
              .inNamespace(NS)
              .withName(name)
              .get()
              .getAutomountServiceAccountToken(),
          name);
    }
  }

  @Test
  void defaultServiceAccountTheClusterCreatedGetsItsTokenTurnedOff() {
    client.namespaces().resource(managed(NS)).create();
    client
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("default")
                .endMetadata()
                .addNewImagePullSecret("registry")
                .build())
        .create();

    namespaces(IsolationPolicy.defaults("test-service")).ensure(reviewApp());

    var sa = client.serviceAccounts().inNamespace(NS).withName("default").get();
    assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken());
    assertEquals("registry", sa.getImagePullSecrets().get(0).getName(), "others' fields kept");
  }

  @Test
  void secondEnsureChangesNothing() {
    EphemeralNamespaces namespaces = namespaces(IsolationPolicy.defaults("test-service"));
    namespaces.ensure(reviewApp());
    Map<String, String> before = resourceVersions();

    namespaces.ensure(reviewApp());

    assertEquals(before, resourceVersions());
    assertEquals(10, before.size(), before.toString());
  }

  @Test
  void handDeletedNetworkPolicyIsRestored() {
    EphemeralNamespaces namespaces = namespaces(IsolationPolicy.defaults("test-service"));
    namespaces.ensure(reviewApp());
    client.network().v1().networkPolicies().inNamespace(NS).withName("default-deny").delete();

    namespaces.ensure(reviewApp());

    assertEquals(
        normalized(Map.of("default-deny", DEFAULT_DENY)).get("default-deny"),
        policies().get("default-deny"));
  }

  @Test
  void handEditedQuotaAndLabelsAreRestored() {
    EphemeralNamespaces namespaces = namespaces(IsolationPolicy.defaults("test-service"));
    namespaces.ensure(reviewApp());
    client
        .resourceQuotas()
        .inNamespace(NS)
        .withName("slipway-quota")
        .edit(
            q ->
                new ResourceQuotaBuilder(q)
                    .editSpec()
                    .addToHard("limits.cpu", new Quantity("64"))
                    .addToHard("pods", new Quantity("500"))
                    .endSpec()
                    .build());
    client
        .namespaces()
        .withName(NS)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToLabels("pod-security.kubernetes.io/enforce", "privileged")
                    .addToLabels("owner", "someone")
                    .endMetadata()
                    .build());

    namespaces.ensure(reviewApp());

    Map<String, Quantity> hard =
        client.resourceQuotas().inNamespace(NS).withName("slipway-quota").get().getSpec().getHard();
    assertEquals(new Quantity("8"), hard.get("limits.cpu"));
    assertEquals(new Quantity("20"), hard.get("pods"));
    Map<String, String> labels = client.namespaces().withName(NS).get().getMetadata().getLabels();
    assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
    assertEquals("someone", labels.get("owner"), "labels Slipway does not own are left alone");
  }

  @Test
  void laterExpiryIsWrittenToTheNamespace() {
    EphemeralNamespaces namespaces = namespaces(IsolationPolicy.defaults("test-service"));
    namespaces.ensure(reviewApp());

    namespaces.ensure(EphemeralNamespace.reviewApp("shop", 42, EXPIRES.plusSeconds(3600)));

    assertEquals(
        "2026-03-02T13:00:00Z",
        client
            .namespaces()
            .withName(NS)
            .get()
            .getMetadata()
            .getAnnotations()
            .get("slipway.dev/expires-at"));
  }

  @Test
  void ensureRefusesToAdoptANamespaceSomeoneElseOwns() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> namespaces(IsolationPolicy.defaults("test-service")).ensure(reviewApp()));

    assertTrue(e.getMessage().contains("not labelled"), e.getMessage());
    assertNull(client.resourceQuotas().inNamespace(NS).withName("slipway-quota").get());
  }

  @Test
  void deleteRefusesANamespaceSlipwayDidNotLabel() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("production")
                .addToLabels("app.kubernetes.io/managed-by", "helm")
                .endMetadata()
                .build())
        .create();

    assertThrows(
        IllegalStateException.class,
        () -> namespaces(IsolationPolicy.defaults("test-service")).delete("production"));

    assertNotNull(client.namespaces().withName("production").get());
  }

  @Test
  void deleteRemovesAManagedNamespaceAndIgnoresOneAlreadyGone() {
    EphemeralNamespaces namespaces = namespaces(IsolationPolicy.defaults("test-service"));
    namespaces.ensure(reviewApp());

    namespaces.delete(NS);
    namespaces.delete(NS);

    assertNull(client.namespaces().withName(NS).get());
  }

  @Test
  void managedListsOnlySlipwaysNamespaces() {
    EphemeralNamespaces namespaces = namespaces(IsolationPolicy.defaults("test-service"));
    namespaces.ensure(reviewApp());
    namespaces.ensure(EphemeralNamespace.testRun("shop", 3, EXPIRES));
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata().build())
        .create();

    assertEquals(List.of("shop-ci-3", "shop-pr-42"), names(namespaces.managed()));
    assertEquals(List.of("shop-ci-3"), names(namespaces.managed(EphemeralNamespace.Kind.TEST)));
    assertEquals(java.util.Optional.empty(), namespaces.terminatingSince(NS));
  }

  private static final String DEFAULT_DENY =
      """
      podSelector: {}
      policyTypes: [Ingress, Egress]
      """;

  private static final String SAME_NAMESPACE =
      """
      podSelector: {}
      ingress:
      - from:
        - podSelector: {}
      egress:
      - to:
        - podSelector: {}
      policyTypes: [Ingress, Egress]
      """;

  private static final String INGRESS_CONTROLLER =
      """
      podSelector: {}
      ingress:
      - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      policyTypes: [Ingress]
      """;

  /** Every NetworkPolicy in the namespace, its spec in the YAML it was asserted with. */
  private Map<String, String> policies() {
    Map<String, String> byName = new TreeMap<>();
    for (NetworkPolicy p :
        client.network().v1().networkPolicies().inNamespace(NS).list().getItems()) {
      assertEquals(
          Map.of("app.kubernetes.io/managed-by", "slipway"),
          p.getMetadata().getLabels(),
          p.getMetadata().getName());
      byName.put(p.getMetadata().getName(), yaml(p.getSpec()));
    }
    return byName;
  }

  /**
   * Lets expected YAML be compared with what the server stored: both are read into the model and
   * written back the same way.
   */
  private Map<String, String> normalized(Map<String, String> specs) {
    return specs.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e ->
                    yaml(
                        client
                            .getKubernetesSerialization()
                            .unmarshal(e.getValue(), NetworkPolicySpec.class)),
                (a, b) -> a,
                TreeMap::new));
  }

  private String yaml(Object o) {
    return client.getKubernetesSerialization().asYaml(o);
  }

  private void assertPolicies(Map<String, String> expected) {
    assertEquals(normalized(expected), policies());
  }

  private Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    Stream.<List<? extends HasMetadata>>of(
            List.of(client.namespaces().withName(NS).get()),
            client.resourceQuotas().inNamespace(NS).list().getItems(),
            client.limitRanges().inNamespace(NS).list().getItems(),
            client.network().v1().networkPolicies().inNamespace(NS).list().getItems(),
            client.serviceAccounts().inNamespace(NS).list().getItems(),
            client.rbac().roleBindings().inNamespace(NS).list().getItems())
        .flatMap(List::stream)
        .forEach(
            r ->
                versions.put(
                    r.getKind() + "/" + r.getMetadata().getName(),
                    r.getMetadata().getResourceVersion()));
    return versions;
  }

  private EphemeralNamespaces namespaces(IsolationPolicy policy) {
    KubernetesClient own = server.createClient();
    clients.add(own);
    return new EphemeralNamespaces(own, policy);
  }

  private static EphemeralNamespace reviewApp() {
    return EphemeralNamespace.reviewApp("shop", 42, EXPIRES);
  }

  private static Namespace managed(String name) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app.kubernetes.io/managed-by", "slipway")
        .endMetadata()
        .build();
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
  }
}

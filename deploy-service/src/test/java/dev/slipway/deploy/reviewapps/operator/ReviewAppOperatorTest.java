package dev.slipway.deploy.reviewapps.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.ReviewAppCustomResource;
import dev.slipway.api.v1alpha1.ReviewAppCustomResourceSpec;
import dev.slipway.apps.process.AppProfile;
import dev.slipway.deploy.runtime.AppRuntime.ReleaseSpec;
import dev.slipway.deploy.runtime.kubernetes.ClusterPlayerAccess;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntime;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.kubernetes.leader.Leadership;
import dev.slipway.kubernetes.leader.LeaseLeadership;
import dev.slipway.kubernetes.namespace.EphemeralNamespace;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.namespace.IsolationPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl apply -f reviewapp.yaml} and {@code kubectl delete} do with the operator
 * running against a CRUD mock API server, the test playing the Deployment controller: an isolated
 * namespace with the app in it, kept as declared, reaped when expired or orphaned.
 */
@EnableKubernetesMockClient(crud = true)
class ReviewAppOperatorTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String CONTROL = "slipway";
  private static final String LEASE = "slipway-deploy-service-review-app-operator";
  private static final String APP = "shop-pr-7";
  private static final String IMAGE =
      "registry.example.com/slipway/shop@sha256:" + "0123456789abcdef".repeat(4);

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<ReviewAppController> controllers = new ArrayList<>();
  private final List<Leadership> leaderships = new ArrayList<>();
  private final ExecutorService runner = Executors.newCachedThreadPool();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void installCrd() {
    Path crd = Path.of("../k8s/crds", "reviewapps.slipway.dev-v1.yml");
    client.apiextensions().v1().customResourceDefinitions().load(crd.toFile()).create();
  }

  @AfterEach
  void stop() throws InterruptedException {
    leaderships.forEach(Leadership::close);
    controllers.forEach(ReviewAppController::close);
    runner.shutdownNow();
    runner.awaitTermination(10, TimeUnit.SECONDS);
    clients.forEach(KubernetesClient::close);
  }

  @Test
  void appliedReviewAppBecomesAnIsolatedNamespaceRunningItsReleaseAndReportsReady() {
    start(Duration.ofMinutes(10));
    configSecret(APP + "-config-v3", Map.of("API_KEY", "hunter2", "SLIPWAY_PR_NUMBER", "7"));
    apply(reviewApp(APP, 7, release(3), Instant.now().plus(Duration.ofDays(2))));

    Deployment web = awaitDeployment(APP, 3);
    ReviewAppCustomResource deploying = awaitPhase("Deploying");
    assertEquals("RollingOut", condition(deploying, "Reconciling").getReason());

    Namespace ns = client.namespaces().withName(APP).get();
    Map<String, String> labels = ns.getMetadata().getLabels();
    assertEquals("slipway", labels.get("app.kubernetes.io/managed-by"));
    assertEquals("review", labels.get("slipway.dev/kind"));
    assertEquals("shop", labels.get("slipway.dev/pipeline"));
    assertEquals("7", labels.get("slipway.dev/pr"));
    assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
    assertNotNull(ns.getMetadata().getAnnotations().get("slipway.dev/expires-at"));
    ResourceQuota quota = client.resourceQuotas().inNamespace(APP).withName("slipway-quota").get();
    assertEquals(new Quantity("20"), quota.getSpec().getHard().get("pods"));
    assertEquals(new Quantity("8Gi"), quota.getSpec().getHard().get("requests.memory"));
    LimitRange limits = client.limitRanges().inNamespace(APP).withName("slipway-limits").get();
    assertEquals(
        new Quantity("256Mi"),
        limits.getSpec().getLimits().get(0).getDefaultRequest().get("memory"));
    assertEquals(
        Set.of("default-deny", "allow-same-namespace", "allow-ingress-controller", "allow-egress"),
        names(client.network().v1().networkPolicies().inNamespace(APP).list().getItems()));
    assertEquals(
        Boolean.FALSE,
        client
            .serviceAccounts()
            .inNamespace(APP)
            .withName("default")
            .get()
            .getAutomountServiceAccountToken());
    assertEquals(
        "hunter2",
        decode(
            client
                .secrets()
                .inNamespace(APP)
                .withName("config-v3")
                .get()
                .getData()
                .get("API_KEY")));
    Container c = web.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(IMAGE, c.getImage());
    // The dyno sources .profile.d first, as on Heroku (JDBC_DATABASE_URL and the like).
    assertEquals(List.of(AppProfile.inline("node server.js")), c.getArgs());
    assertEquals("config-v3", c.getEnvFrom().get(0).getSecretRef().getName());
    assertEquals(
        Boolean.FALSE, web.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
    assertEquals(1, web.getSpec().getReplicas());
    assertNotNull(client.services().inNamespace(APP).withName("web").get());
    HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(APP).withName("web").get();
    assertEquals(List.of(APP + ".apps.example.com"), route.getSpec().getHostnames());
    ParentReference gateway = route.getSpec().getParentRefs().get(0);
    assertEquals(List.of("public", "gateways"), List.of(gateway.getName(), gateway.getNamespace()));

    rolledOut(APP, "web");
    ReviewAppCustomResource ready = awaitPhase("Ready");
    assertEquals("https://" + APP + ".apps.example.com/", ready.getStatus().url());
    assertEquals(3, ready.getStatus().release());
    assertEquals(APP, ready.getStatus().namespace());
    assertEquals(ready.getMetadata().getGeneration(), ready.getStatus().observedGeneration());
    assertEquals("True", condition(ready, "Ready").getStatus());
    assertEquals("RolloutComplete", condition(ready, "Ready").getReason());
    assertEquals("False", condition(ready, "Stalled").getStatus());
    assertTrue(ready.getFinalizers().contains(ReviewAppReconciler.FINALIZER));
  }

  @Test
  void secondReconcileChangesNothing() {
    start(Duration.ofMinutes(10));
    configSecret(APP + "-config-v3", Map.of("A", "1"));
    apply(reviewApp(APP, 7, release(3), Instant.now().plus(Duration.ofDays(2))));
    awaitDeployment(APP, 3);
    rolledOut(APP, "web");
    awaitPhase("Ready");
    // The operator's own follow-up reconciles (its status write comes back as an event) must not
    // race the snapshot: wait until nothing changes for a second, then reconcile the resource as
    // the API server has it now.
    Map<String, String> before = quiet(APP);
    ReviewAppCustomResource ready = reviewApps().withName(APP).get();

    new ReviewAppReconciler(
            client,
            namespaces(client),
            settings(),
            operatorSettings(Duration.ofMinutes(10)),
            Clock.systemUTC())
        .reconcile(ready);

    assertEquals(before, versions(APP));
  }

  @Test
  void handDeletedDeploymentIsRestoredOnTheNextResync() {
    start(Duration.ofMillis(300));
    configSecret(APP + "-config-v3", Map.of("A", "1"));
    apply(reviewApp(APP, 7, release(3), Instant.now().plus(Duration.ofDays(2))));
    awaitDeployment(APP, 3);
    rolledOut(APP, "web");
    awaitPhase("Ready");
    String deleted =
        client.apps().deployments().inNamespace(APP).withName("web").get().getMetadata().getUid();

    client.apps().deployments().inNamespace(APP).withName("web").delete();
    client.network().v1().networkPolicies().inNamespace(APP).withName("default-deny").delete();

    await()
        .atMost(PATIENCE)
        .until(
            () -> client.apps().deployments().inNamespace(APP).withName("web").get(),
            d -> d != null && !d.getMetadata().getUid().equals(deleted));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                client
                    .network()
                    .v1()
                    .networkPolicies()
                    .inNamespace(APP)
                    .withName("default-deny")
                    .get(),
            p -> p != null);
  }

  @Test
  void deletingTheReviewAppDeletesItsNamespaceThenTheResourceGoes() {
    start(Duration.ofMinutes(10));
    configSecret(APP + "-config-v3", Map.of("A", "1"));
    apply(reviewApp(APP, 7, release(3), Instant.now().plus(Duration.ofDays(2))));
    awaitDeployment(APP, 3);
    rolledOut(APP, "web");
    awaitPhase("Ready");

    reviewApps().withName(APP).delete();

    await().atMost(PATIENCE).until(() -> reviewApps().withName(APP).get() == null);
    assertNull(client.namespaces().withName(APP).get());
    assertTrue(
        client
            .secrets()
            .inNamespace(CONTROL)
            .withLabel(KubernetesRuntime.REVIEW_APP_LABEL, APP)
            .list()
            .getItems()
            .isEmpty(),
        "the config Secrets of its releases went with it");
  }

  @Test
  void expiredReviewAppIsReapedWithItsNamespace() {
    start(Duration.ofMillis(300));
    configSecret(APP + "-config-v3", Map.of("A", "1"));
    apply(reviewApp(APP, 7, release(3), Instant.now().minus(Duration.ofMinutes(1))));

    await().atMost(PATIENCE).until(() -> reviewApps().withName(APP).get() == null);
    assertNull(client.namespaces().withName(APP).get());
  }

  @Test
  void reviewNamespaceWithoutAReviewAppIsDeletedAndOthersAreLeftAlone() {
    ReviewAppController controller = start(Duration.ofMinutes(10));
    EphemeralNamespaces namespaces = namespaces(client);
    Instant later = Instant.now().plus(Duration.ofDays(1));
    namespaces.ensure(EphemeralNamespace.reviewApp("shop", 99, later));
    namespaces.ensure(EphemeralNamespace.testRun("shop", 4, later));
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("shop-pr-98").endMetadata().build())
        .create();

    controller.sweep();

    assertNull(client.namespaces().withName("shop-pr-99").get());
    assertNotNull(client.namespaces().withName("shop-ci-4").get(), "test namespaces are not ours");
    assertNotNull(client.namespaces().withName("shop-pr-98").get(), "never Slipway's");
  }

  @Test
  void namespaceStuckTerminatingIsReportedAsStalledAndCounted() {
    ReviewAppController controller = start(Duration.ofMinutes(10));
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withMetadata(
                    new ObjectMetaBuilder()
                        .withName(APP)
                        .withLabels(
                            Map.of(
                                "app.kubernetes.io/managed-by", "slipway",
                                "slipway.dev/kind", "review"))
                        .withFinalizers("example.com/never-done")
                        .build())
                .build())
        .create();
    client.namespaces().withName(APP).delete();
    configSecret(APP + "-config-v3", Map.of("A", "1"));

    apply(reviewApp(APP, 7, release(3), Instant.now().plus(Duration.ofDays(2))));

    ReviewAppCustomResource stalled =
        await()
            .atMost(PATIENCE)
            .until(
                () -> reviewApps().withName(APP).get(),
                cr ->
                    cr.getStatus() != null
                        && condition(cr, "Stalled") != null
                        && "True".equals(condition(cr, "Stalled").getStatus()));
    assertEquals("NamespaceTerminating", condition(stalled, "Stalled").getReason());
    controller.sweep();
    assertEquals(1.0, registry.get(ReviewAppController.TERMINATING_GAUGE).gauge().value());
  }

  @Test
  void runtimeDeploysAReviewAppThroughItsResourceAndDestroysItTheSameWay() throws Exception {
    start(Duration.ofMinutes(10));
    KubernetesClient own = server.createClient();
    clients.add(own);
    KubernetesRuntime runtime =
        new KubernetesRuntime(own, namespaces(own), settings(), 1500, 2L << 20);
    ReleaseSpec release =
        new ReleaseSpec(
            APP,
            1,
            "sha256:" + "0123456789abcdef".repeat(4),
            Map.of("SLIPWAY_PR_NUMBER", "7", "SLIPWAY_BRANCH", "feature/cart"),
            Map.of("web", "node server.js"),
            Map.of());
    Future<?> deploy =
        runner.submit(
            () -> {
              runtime.deploy(release, line -> {});
              return null;
            });

    awaitDeployment(APP, 1);
    ReviewAppCustomResource declared = reviewApps().withName(APP).get();
    assertEquals("shop", declared.getSpec().pipeline());
    assertEquals(7, declared.getSpec().prNumber());
    assertEquals("feature/cart", declared.getSpec().branch());
    assertEquals(IMAGE, declared.getSpec().release().image());
    assertEquals(APP + "-config-v1", declared.getSpec().release().configSecret());
    rolledOut(APP, "web");
    deploy.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertEquals(
        "https://" + APP + ".apps.example.com/",
        runtime.url(APP).map(Object::toString).orElse(null));

    runtime.destroy(APP);

    await().atMost(PATIENCE).until(() -> reviewApps().withName(APP).get() == null);
    assertNull(client.namespaces().withName(APP).get());
  }

  @Test
  void ofTwoReplicasOnlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItStops() {
    // Short lease timings so that the takeover happens within the test's patience.
    var timing =
        new LeaseLeadership.Timing(
            Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200));
    Replica a = replica("deploy-service-a", timing);
    Replica b = replica("deploy-service-b", timing);
    await().atMost(PATIENCE).until(() -> a.leadership().leading() || b.leadership().leading());
    Replica leader = a.leadership().leading() ? a : b;
    Replica follower = leader == a ? b : a;

    configSecret(APP + "-config-v3", Map.of("A", "1"));
    apply(reviewApp(APP, 7, release(3), Instant.now().plus(Duration.ofDays(2))));
    awaitDeployment(APP, 3);

    assertEquals(leader.identity(), leaseHolder());
    assertTrue(leader.controller().reconciles() > 0);
    assertEquals(0, follower.controller().reconciles());
    assertFalse(follower.controller().running());

    leader.leadership().close();
    String second = "shop-pr-8";
    apply(reviewApp(second, 8, release(3), Instant.now().plus(Duration.ofDays(2))));

    awaitDeployment(second, 3);
    assertEquals(follower.identity(), leaseHolder());
    assertTrue(follower.controller().reconciles() > 0);
    assertFalse(leader.controller().running());
  }

  /** A deploy-service replica: its own client, the operator run while its Lease is held. */
  private record Replica(String identity, ReviewAppController controller, Leadership leadership) {}

  private Replica replica(String identity, LeaseLeadership.Timing timing) {
    KubernetesClient own = server.createClient();
    clients.add(own);
    ReviewAppController controller =
        new ReviewAppController(
            own,
            namespaces(own),
            settings(),
            operatorSettings(Duration.ofMinutes(10)),
            registry,
            Clock.systemUTC());
    controllers.add(controller);
    Leadership leadership =
        new LeaseLeadership(own, CONTROL, LEASE, ReviewAppOperator.JOB, identity, timing);
    leaderships.add(leadership);
    // The wiring ReviewAppOperator uses: started on each gain of the Lease, closed on each loss.
    leadership.start(controller::start, controller::close);
    return new Replica(identity, controller, leadership);
  }

  private String leaseHolder() {
    return client.leases().inNamespace(CONTROL).withName(LEASE).get().getSpec().getHolderIdentity();
  }

  private ReviewAppController start(Duration resync) {
    KubernetesClient own = server.createClient();
    clients.add(own);
    ReviewAppController controller =
        new ReviewAppController(
            own,
            namespaces(own),
            settings(),
            operatorSettings(resync),
            registry,
            Clock.systemUTC());
    controllers.add(controller);
    controller.start();
    return controller;
  }

  private static ReviewAppOperatorSettings operatorSettings(Duration resync) {
    return new ReviewAppOperatorSettings(resync, Duration.ZERO, Duration.ofMinutes(1));
  }

  private static EphemeralNamespaces namespaces(KubernetesClient c) {
    return new EphemeralNamespaces(c, IsolationPolicy.defaults("deploy-service"));
  }

  private static KubernetesRuntimeSettings settings() {
    return new KubernetesRuntimeSettings(
        CONTROL,
        "registry.example.com/slipway",
        "{app}.apps.example.com",
        KubernetesRuntimeSettings.Routing.httpRoute("public", "gateways"),
        "nginx",
        "https",
        new KubernetesRuntimeSettings.Resources("100m", "512Mi", "1", "512Mi"),
        Duration.ofSeconds(60),
        Duration.ofMinutes(2),
        Duration.ofDays(7),
        Duration.ofMillis(50));
  }

  private static ReviewAppCustomResourceSpec.Release release(int version) {
    return new ReviewAppCustomResourceSpec.Release(
        version,
        IMAGE,
        "sha256:" + "0123456789abcdef".repeat(4),
        APP + "-config-v" + version,
        Map.of("web", "node server.js"),
        Map.of("web", 1));
  }

  private static ReviewAppCustomResource reviewApp(
      String name, int pr, ReviewAppCustomResourceSpec.Release release, Instant expiresAt) {
    ReviewAppCustomResource cr = new ReviewAppCustomResource();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(CONTROL).build());
    cr.setSpec(
        new ReviewAppCustomResourceSpec(
            "shop",
            pr,
            "feature/cart",
            name,
            release,
            null,
            expiresAt.truncatedTo(ChronoUnit.SECONDS).toString()));
    return cr;
  }

  private void apply(ReviewAppCustomResource cr) {
    reviewApps().resource(cr).create();
  }

  private void configSecret(String name, Map<String, String> values) {
    client
        .secrets()
        .inNamespace(CONTROL)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    Map.of(KubernetesRuntime.REVIEW_APP_LABEL, APP, "slipway.dev/release", "3"))
                .endMetadata()
                .withData(
                    values.entrySet().stream()
                        .collect(
                            Collectors.toMap(
                                Map.Entry::getKey,
                                e ->
                                    Base64.getEncoder()
                                        .encodeToString(
                                            e.getValue().getBytes(StandardCharsets.UTF_8)))))
                .build())
        .create();
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          ReviewAppCustomResource,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<ReviewAppCustomResource>,
          io.fabric8.kubernetes.client.dsl.Resource<ReviewAppCustomResource>>
      reviewApps() {
    return client.resources(ReviewAppCustomResource.class).inNamespace(CONTROL);
  }

  private ReviewAppCustomResource awaitPhase(String phase) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> reviewApps().withName(APP).get(),
            cr -> cr != null && cr.getStatus() != null && phase.equals(cr.getStatus().phase()));
  }

  private Deployment awaitDeployment(String namespace, int version) {
    return ClusterPlayerAccess.awaitDeployment(client, namespace, "web", version);
  }

  private void rolledOut(String namespace, String name) {
    ClusterPlayerAccess.rolledOut(client, namespace, name);
  }

  /** The namespace's resource versions once they stayed the same for a second. */
  private Map<String, String> quiet(String namespace) {
    Map<String, String> last = new TreeMap<>();
    return await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Map<String, String> now = versions(namespace);
              boolean same = now.equals(last);
              last.clear();
              last.putAll(now);
              return same ? now : null;
            },
            v -> v != null);
  }

  private Map<String, String> versions(String namespace) {
    Map<String, String> v = new TreeMap<>();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
    all.addAll(client.services().inNamespace(namespace).list().getItems());
    all.addAll(client.network().v1().ingresses().inNamespace(namespace).list().getItems());
    all.addAll(client.resources(HTTPRoute.class).inNamespace(namespace).list().getItems());
    all.addAll(client.secrets().inNamespace(namespace).list().getItems());
    all.addAll(client.network().v1().networkPolicies().inNamespace(namespace).list().getItems());
    all.addAll(client.resourceQuotas().inNamespace(namespace).list().getItems());
    all.addAll(client.limitRanges().inNamespace(namespace).list().getItems());
    all.addAll(client.serviceAccounts().inNamespace(namespace).list().getItems());
    all.add(client.namespaces().withName(namespace).get());
    all.add(reviewApps().withName(APP).get());
    all.forEach(
        o ->
            v.put(
                o.getKind() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion()));
    return v;
  }

  private static Set<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static Condition condition(ReviewAppCustomResource cr, String type) {
    if (cr.getStatus() == null || cr.getStatus().conditions() == null) {
      return null;
    }
    return cr.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}

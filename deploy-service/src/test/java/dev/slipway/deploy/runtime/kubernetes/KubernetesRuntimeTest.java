package dev.slipway.deploy.runtime.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.process.AppProfile;
import dev.slipway.apps.process.ChildProcesses;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.deploy.runtime.AppRuntime.DeployFailedException;
import dev.slipway.deploy.runtime.AppRuntime.OneOffResult;
import dev.slipway.deploy.runtime.AppRuntime.ReleaseSpec;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.namespace.IsolationPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpecBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a staging or production app is on a cluster: the test plays the Deployment and Job
 * controllers against a CRUD mock API server while the runtime deploys, runs release phases, rolls
 * back and destroys.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRuntimeTest {

  static final String APP = "shop-staging";
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
  static final String DIGEST_2 = "sha256:" + "fedcba9876543210".repeat(4);

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<KubernetesClient> clients = new ArrayList<>();
  private final ExecutorService runner = Executors.newCachedThreadPool();
  private final List<String> progress = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    runner.shutdownNow();
    runner.awaitTermination(10, TimeUnit.SECONDS);
    clients.forEach(KubernetesClient::close);
  }

  @Test
  void deployCreatesTheIsolatedNamespaceAndExactlyTheDeploymentServiceIngressAndSecret()
      throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    Future<?> deploy = deployAsync(runtime, release(1, DIGEST, Map.of("API_KEY", "hunter2")));

    Deployment web = cluster.awaitDeployment(APP, "web", 1);
    assertFalse(deploy.isDone(), "the deploy waits for the rollout");
    cluster.rollOut(APP, 1, "web", "worker");
    deploy.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    Namespace ns = client.namespaces().withName(APP).get();
    Map<String, String> labels = ns.getMetadata().getLabels();
    assertEquals("slipway", labels.get("app.kubernetes.io/managed-by"));
    assertEquals("app", labels.get("slipway.dev/kind"));
    assertEquals(APP, labels.get("slipway.dev/app"));
    assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
    assertEquals(
        Set.of("default-deny", "allow-same-namespace", "allow-ingress-controller", "allow-egress"),
        client.network().v1().networkPolicies().inNamespace(APP).list().getItems().stream()
            .map(p -> p.getMetadata().getName())
            .collect(Collectors.toSet()));
    NetworkPolicy deny =
        client.network().v1().networkPolicies().inNamespace(APP).withName("default-deny").get();
    assertEquals(List.of("Ingress", "Egress"), deny.getSpec().getPolicyTypes());
    assertEquals(
        Boolean.FALSE,
        client
            .serviceAccounts()
            .inNamespace(APP)
            .withName("slipway-app")
            .get()
            .getAutomountServiceAccountToken());
    // The service's rights in the namespace: exactly one RoleBinding, to its own ClusterRole.
    assertEquals(
        List.of(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("slipway-deploy-service-in-managed-namespace")
                .withNamespace(APP)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "slipway"))
                .endMetadata()
                .withRoleRef(
                    new RoleRef(
                        "rbac.authorization.k8s.io",
                        "ClusterRole",
                        "slipway-deploy-service-in-managed-namespace"))
                .withSubjects(new Subject(null, "ServiceAccount", "deploy-service", "slipway"))
                .build()),
        client.rbac().roleBindings().inNamespace(APP).list().getItems().stream()
            .map(
                b ->
                    new RoleBindingBuilder(b)
                        .editMetadata()
                        .withResourceVersion(null)
                        .withCreationTimestamp(null)
                        .withUid(null)
                        .withGeneration(null)
                        .withManagedFields()
                        .endMetadata()
                        .build())
            .toList());

    assertEquals(3, web.getSpec().getReplicas());
    assertEquals(120, web.getSpec().getProgressDeadlineSeconds());
    assertEquals(
        Map.of("slipway.dev/app", APP, "slipway.dev/process-type", "web"),
        web.getSpec().getSelector().getMatchLabels());
    assertEquals(
        new IntOrString(0), web.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable());
    assertEquals(
        AppWorkloads.checksum(Map.of("API_KEY", "hunter2")),
        web.getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("slipway.dev/config-checksum"));
    PodSpec pod = web.getSpec().getTemplate().getSpec();
    assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    assertEquals(Boolean.FALSE, pod.getEnableServiceLinks());
    assertEquals("slipway-app", pod.getServiceAccountName());
    assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    Container c = pod.getContainers().get(0);
    assertEquals("web", c.getName());
    assertEquals("registry.example.com/slipway/" + APP + "@" + DIGEST, c.getImage());
    assertEquals(List.of("/cnb/lifecycle/launcher"), c.getCommand());
    assertEquals(List.of(AppProfile.inline("node server.js")), c.getArgs());
    assertEquals("config-v1", c.getEnvFrom().get(0).getSecretRef().getName());
    assertEquals(
        Map.of("PORT", "8080", "DYNO", "web", "SLIPWAY_RELEASE_VERSION", "v1"),
        c.getEnv().stream().collect(Collectors.toMap(e -> e.getName(), e -> e.getValue())));
    assertEquals(8080, c.getPorts().get(0).getContainerPort());
    assertEquals("http", c.getPorts().get(0).getName());
    assertEquals(new IntOrString("http"), c.getReadinessProbe().getTcpSocket().getPort());
    assertEquals(new IntOrString("http"), c.getLivenessProbe().getTcpSocket().getPort());
    assertEquals(new Quantity("100m"), c.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("512Mi"), c.getResources().getLimits().get("memory"));
    assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertFalse(
        client.resource(web).get().toString().contains("hunter2"), "config stays in the Secret");

    Deployment worker = client.apps().deployments().inNamespace(APP).withName("worker").get();
    assertEquals(0, worker.getSpec().getReplicas());
    Container w = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertNull(w.getReadinessProbe());
    assertTrue(w.getPorts() == null || w.getPorts().isEmpty());
    assertNull(
        client.apps().deployments().inNamespace(APP).withName("release").get(),
        "the release type is the release phase, never a Deployment");

    Service service = client.services().inNamespace(APP).withName("web").get();
    assertEquals(
        Map.of("slipway.dev/app", APP, "slipway.dev/process-type", "web"),
        service.getSpec().getSelector());
    assertEquals(80, service.getSpec().getPorts().get(0).getPort());
    assertEquals(new IntOrString("http"), service.getSpec().getPorts().get(0).getTargetPort());

    HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(APP).withName("web").get();
    assertEquals(AppWorkloads.labels(APP), route.getMetadata().getLabels());
    assertEquals(
        yaml(
            new HTTPRouteSpecBuilder()
                .addNewParentRef()
                .withGroup("gateway.networking.k8s.io")
                .withKind("Gateway")
                .withName("public")
                .withNamespace("gateways")
                .endParentRef()
                .withHostnames(APP + ".apps.example.com")
                .addNewRule()
                .addNewMatch()
                .withNewPath()
                .withType("PathPrefix")
                .withValue("/")
                .endPath()
                .endMatch()
                .addNewBackendRef()
                .withName("web")
                .withPort(80)
                .endBackendRef()
                .endRule()
                .build()),
        yaml(route.getSpec()));
    assertEquals(List.of(), client.network().v1().ingresses().inNamespace(APP).list().getItems());
    assertEquals(
        Optional.of(URI.create("https://" + APP + ".apps.example.com/")), runtime.url(APP));

    Secret config = client.secrets().inNamespace(APP).withName("config-v1").get();
    assertEquals("hunter2", decode(config.getData().get("API_KEY")));
    assertEquals("1", config.getMetadata().getLabels().get("slipway.dev/release"));
    assertTrue(progress.contains("Deployed v1"));
  }

  @Test
  void ingressRoutingExposesWebThroughExactlyThisIngressAndRemovesTheHttpRoute() throws Exception {
    ClusterPlayer cluster = new ClusterPlayer(client);
    ReleaseSpec v1 = release(1, DIGEST, Map.of());
    Future<?> routed = deployAsync(runtime(), v1);
    cluster.rollOut(APP, 1, "web", "worker");
    routed.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(client.resources(HTTPRoute.class).inNamespace(APP).withName("web").get());
    KubernetesRuntimeSettings s = settings();
    AppRuntime ingressRuntime =
        runtime(
            new KubernetesRuntimeSettings(
                s.controlNamespace(),
                s.imageRepository(),
                s.hostPattern(),
                KubernetesRuntimeSettings.Routing.ingress(),
                s.ingressClass(),
                s.urlScheme(),
                s.resources(),
                s.rolloutTimeout(),
                s.progressDeadline(),
                s.reviewAppTtl(),
                s.pollInterval()),
            1500,
            2L << 20);

    ingressRuntime.deploy(v1, progress::add);

    Ingress ingress = client.network().v1().ingresses().inNamespace(APP).withName("web").get();
    assertEquals(AppWorkloads.labels(APP), ingress.getMetadata().getLabels());
    assertEquals(
        yaml(
            new IngressSpecBuilder()
                .withIngressClassName("nginx")
                .addNewRule()
                .withHost(APP + ".apps.example.com")
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName("web")
                .withNewPort()
                .withName("http")
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .build()),
        yaml(ingress.getSpec()));
    assertNull(client.resources(HTTPRoute.class).inNamespace(APP).withName("web").get());
    assertEquals(
        Optional.of(URI.create("https://" + APP + ".apps.example.com/")), ingressRuntime.url(APP));
  }

  @Test
  void deployRunsTheImageTheBuildAnnouncedByDigest() throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    ReleaseSpec base = release(1, DIGEST, Map.of());
    String announced = "ghcr.io/acme/builds/5b0f6a52@" + DIGEST;
    ReleaseSpec v1 =
        new ReleaseSpec(
            base.app(), 1, DIGEST, base.config(), base.processTypes(), base.formation(), announced);

    Future<?> deploy = deployAsync(runtime, v1);
    cluster.rollOut(APP, 1, "web", "worker");
    deploy.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertEquals(
        announced,
        client
            .apps()
            .deployments()
            .inNamespace(APP)
            .withName("web")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getImage());
  }

  @Test
  void secondDeployOfTheSameReleaseWritesNothing() throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    ReleaseSpec v1 = release(1, DIGEST, Map.of("A", "1"));
    Future<?> first = deployAsync(runtime, v1);
    cluster.rollOut(APP, 1, "web", "worker");
    first.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    Map<String, String> before = versions();

    runtime.deploy(v1, progress::add);

    assertEquals(before, versions());
  }

  @Test
  void configChangeOfAReleaseRollsTheDeploymentThroughTheChecksum() throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    Future<?> first = deployAsync(runtime, release(1, DIGEST, Map.of("A", "1")));
    cluster.rollOut(APP, 1, "web", "worker");
    first.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    Future<?> second = deployAsync(runtime, release(2, DIGEST, Map.of("A", "2")));
    Deployment web = cluster.awaitDeployment(APP, "web", 2);
    assertEquals(
        AppWorkloads.checksum(Map.of("A", "2")),
        web.getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("slipway.dev/config-checksum"));
    cluster.rollOut(APP, 2, "web", "worker");
    second.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(client.secrets().inNamespace(APP).withName("config-v2").get());
  }

  @Test
  void releasePhaseRunsAsALockedDownJobThatIsDeletedWhenItSucceeds() throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    List<String> output = new CopyOnWriteArrayList<>();
    Future<OneOffResult> phase =
        runner.submit(
            () ->
                runtime.runOneOff(
                    release(1, DIGEST, Map.of("DATABASE_URL", "postgres://u:pw@db/x")),
                    "rake db:migrate",
                    Duration.ofMinutes(10),
                    output::add));

    Job job = cluster.awaitJob(APP);
    String name = job.getMetadata().getName();
    assertTrue(name.startsWith("run-v1-"), name);
    assertEquals(0, job.getSpec().getBackoffLimit());
    assertEquals(600L, job.getSpec().getActiveDeadlineSeconds());
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    Container c = pod.getContainers().get(0);
    assertEquals(List.of(AppProfile.inline("rake db:migrate")), c.getArgs());
    assertEquals("registry.example.com/slipway/" + APP + "@" + DIGEST, c.getImage());
    assertEquals(name + "-env", c.getEnvFrom().get(0).getSecretRef().getName());
    Secret env =
        org.awaitility.Awaitility.await()
            .atMost(ClusterPlayer.PATIENCE)
            .until(
                () -> client.secrets().inNamespace(APP).withName(name + "-env").get(),
                s -> s != null);
    assertEquals("postgres://u:pw@db/x", decode(env.getData().get("DATABASE_URL")));
    assertEquals(name, env.getMetadata().getOwnerReferences().get(0).getName());
    String podName = name + "-abcde";
    stubLog(podName, "Migrating to 42\n");
    jobPod(name, podName, 0);
    cluster.finishJob(APP, name, "Complete", null);

    OneOffResult result = phase.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertTrue(result.succeeded());
    assertEquals(List.of("Migrating to 42"), output);
    assertNull(client.batch().v1().jobs().inNamespace(APP).withName(name).get());
    assertNull(client.secrets().inNamespace(APP).withName(name + "-env").get());
    assertTrue(
        client.apps().deployments().inNamespace(APP).list().getItems().isEmpty(),
        "a release phase starts no process");
  }

  @Test
  void failedReleasePhaseJobLeavesTheRunningDeploymentUntouched() throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    Future<?> first = deployAsync(runtime, release(1, DIGEST, Map.of("A", "1")));
    cluster.rollOut(APP, 1, "web", "worker");
    first.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    Deployment before = client.apps().deployments().inNamespace(APP).withName("web").get();

    Future<OneOffResult> phase =
        runner.submit(
            () ->
                runtime.runOneOff(
                    release(2, DIGEST_2, Map.of("A", "2")),
                    "rake db:migrate",
                    Duration.ofMinutes(10),
                    line -> {}));
    Job job = cluster.awaitJob(APP);
    String podName = job.getMetadata().getName() + "-x1y2z";
    stubLog(podName, "boom\n");
    jobPod(job.getMetadata().getName(), podName, 3);
    cluster.finishJob(APP, job.getMetadata().getName(), "Failed", "BackoffLimitExceeded");

    OneOffResult result = phase.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertFalse(result.succeeded());
    assertEquals(3, result.exitCode());
    Deployment after = client.apps().deployments().inNamespace(APP).withName("web").get();
    assertEquals(
        before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    assertEquals(before.getSpec(), after.getSpec());
  }

  @Test
  void rolloutThatKubernetesGivesUpOnFailsTheDeployAndRestoresThePreviousRelease()
      throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    Future<?> first = deployAsync(runtime, release(1, DIGEST, Map.of("A", "1")));
    cluster.rollOut(APP, 1, "web", "worker");
    first.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    Future<?> second = deployAsync(runtime, release(2, DIGEST_2, Map.of("A", "2")));
    cluster.awaitDeployment(APP, "web", 2);
    cluster.rollOut(APP, 2, "worker");
    cluster.deadlineExceeded(APP, "web");

    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () -> second.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(DeployFailedException.class, failed.getCause());
    assertTrue(failed.getCause().getMessage().contains("timed out progressing"));
    Deployment web = client.apps().deployments().inNamespace(APP).withName("web").get();
    assertEquals(
        "1", web.getSpec().getTemplate().getMetadata().getLabels().get("slipway.dev/release"));
    assertEquals(
        "registry.example.com/slipway/" + APP + "@" + DIGEST,
        web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertTrue(progress.contains("Rolled back to v1"));
  }

  @Test
  void scaleEditsReplicasAndDestroyDeletesTheNamespace() throws Exception {
    AppRuntime runtime = runtime();
    ClusterPlayer cluster = new ClusterPlayer(client);
    Future<?> first = deployAsync(runtime, release(1, DIGEST, Map.of()));
    cluster.rollOut(APP, 1, "web", "worker");
    first.get(ClusterPlayer.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    runtime.scale(APP, Map.of("web", 1, "worker", 2));
    assertEquals(
        1,
        client.apps().deployments().inNamespace(APP).withName("web").get().getSpec().getReplicas());
    assertEquals(
        2,
        client
            .apps()
            .deployments()
            .inNamespace(APP)
            .withName("worker")
            .get()
            .getSpec()
            .getReplicas());

    runtime.destroy(APP);
    assertNull(client.namespaces().withName(APP).get());
    assertEquals(Optional.empty(), runtime.url(APP));
  }

  @Test
  void namespaceSlipwayDidNotCreateIsNeitherUsedNorDeleted() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("billing").endMetadata().build())
        .create();
    AppRuntime runtime = runtime();

    assertThrows(IllegalStateException.class, () -> runtime.destroy("billing"));
    assertThrows(
        IllegalStateException.class,
        () ->
            runtime.deploy(
                new ReleaseSpec("billing", 1, DIGEST, Map.of(), Map.of("web", "x"), Map.of()),
                line -> {}));
    assertNotNull(client.namespaces().withName("billing").get());
  }

  @Test
  void logOfThePastKeepsItsNewestLinesUnderTheByteCapWithOneTruncationLine() {
    AppRuntime runtime = runtime(1500, 1000);
    appPod("web-5d8f-abcde");
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      log.append("request ").append(i).append(" served\n");
    }
    stubLog("web-5d8f-abcde", "tailLines=1500", false, log.toString());
    List<String> lines = new ArrayList<>();

    runtime.logs(APP, 1500, false, lines::add);

    assertEquals(
        "-----> output truncated: earlier lines were discarded"
            + " (only the last 1000 bytes or 1500 lines are kept)",
        lines.get(0));
    assertEquals("web-5d8f-abcde: request 100 served", lines.get(lines.size() - 1));
    assertFalse(lines.contains("web-5d8f-abcde: request 1 served"), lines.toString());
    long bytes = lines.stream().skip(1).mapToLong(l -> l.length() + 1).sum();
    assertTrue(bytes <= 1000, "within the byte cap: " + bytes);
  }

  @Test
  void followedLogCutsALineThatNeverEndsIntoBoundedPieces() {
    AppRuntime runtime = runtime();
    appPod("web-5d8f-abcde");
    String endless = "x".repeat(3 * ChildProcesses.MAX_LINE_CHARS + 10);
    stubLog("web-5d8f-abcde", "tailLines=1500", true, "booted\n" + endless);
    List<String> lines = new CopyOnWriteArrayList<>();

    try (AppRuntime.LogSubscription follow = runtime.logs(APP, 5000, true, lines::add)) {
      org.awaitility.Awaitility.await()
          .atMost(ClusterPlayer.PATIENCE)
          .until(() -> lines.size() >= 5);
    }

    assertEquals("web-5d8f-abcde: booted", lines.get(0));
    for (String piece : lines.subList(1, 5)) {
      assertTrue(piece.startsWith("web-5d8f-abcde: x"), "a piece of the endless line");
      assertTrue(
          piece.length() <= "web-5d8f-abcde: ".length() + ChildProcesses.MAX_LINE_CHARS,
          "a piece is at most one line's worth: " + piece.length());
    }
    assertEquals(
        endless.length(),
        lines.subList(1, 5).stream().mapToInt(l -> l.length() - "web-5d8f-abcde: ".length()).sum());
  }

  /** A running web process of the app, as its Deployment would have made it. */
  private void appPod(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(APP).endMetadata().build())
        .create();
    client
        .pods()
        .inNamespace(APP)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("slipway.dev/app", APP, "slipway.dev/process-type", "web"))
                .endMetadata()
                .build())
        .create();
  }

  /** Answers {@code pod}'s log read with {@code query} (followed or not) as a kubelet would. */
  private void stubLog(String pod, String query, boolean follow, String body) {
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + APP
                + "/pods/"
                + pod
                + "/log?pretty=false&"
                + query
                + (follow ? "&follow=true" : ""))
        .andReturn(200, body)
        .always();
  }

  @Test
  void processesComeFromPodsWithTheirStateAndRestarts() {
    AppRuntime runtime = runtime();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(APP).endMetadata().build())
        .create();
    client
        .pods()
        .inNamespace(APP)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web-5d8f-abcde")
                .withLabels(
                    Map.of(
                        "slipway.dev/app",
                        APP,
                        "slipway.dev/process-type",
                        "web",
                        "slipway.dev/release",
                        "4"))
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName("web")
                .withRestartCount(2)
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(137)
                .endTerminated()
                .endLastState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
    client
        .pods()
        .inNamespace(APP)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("worker-7c9-fghij")
                .withLabels(
                    Map.of(
                        "slipway.dev/app",
                        APP,
                        "slipway.dev/process-type",
                        "worker",
                        "slipway.dev/release",
                        "4"))
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .addNewContainerStatus()
                .withName("worker")
                .withRestartCount(5)
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();

    assertEquals(
        List.of(
            new AppRuntime.ProcessStatus(
                "web-5d8f-abcde", "web", 4, AppRuntime.ProcessStatus.State.UP, 2, 137),
            new AppRuntime.ProcessStatus(
                "worker-7c9-fghij", "worker", 4, AppRuntime.ProcessStatus.State.CRASHED, 5, null)),
        runtime.processes(APP));
  }

  static KubernetesRuntimeSettings settings() {
    return new KubernetesRuntimeSettings(
        "slipway",
        "registry.example.com/slipway/",
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

  private AppRuntime runtime() {
    return runtime(1500, 2L << 20);
  }

  private AppRuntime runtime(int logLines, long logMaxBytes) {
    return runtime(settings(), logLines, logMaxBytes);
  }

  private AppRuntime runtime(KubernetesRuntimeSettings settings, int logLines, long logMaxBytes) {
    KubernetesClient own = server.createClient();
    clients.add(own);
    return new KubernetesRuntime(
        own,
        new EphemeralNamespaces(own, IsolationPolicy.defaults("deploy-service")),
        settings,
        logLines,
        logMaxBytes);
  }

  private static String yaml(Object o) {
    return Serialization.asYaml(o);
  }

  private Future<?> deployAsync(AppRuntime runtime, ReleaseSpec release) {
    return runner.submit(
        () -> {
          runtime.deploy(release, progress::add);
          return null;
        });
  }

  static ReleaseSpec release(int version, String digest, Map<String, String> config) {
    return new ReleaseSpec(
        APP,
        version,
        digest,
        config,
        Map.of("web", "node server.js", "worker", "node jobs.js", "release", "rake db:migrate"),
        Map.of("web", 3));
  }

  /** resourceVersion of every object the deploy wrote. */
  private Map<String, String> versions() {
    Map<String, String> v = new java.util.TreeMap<>();
    client
        .apps()
        .deployments()
        .inNamespace(APP)
        .list()
        .getItems()
        .forEach(
            d ->
                v.put(
                    "deployment/" + d.getMetadata().getName(),
                    d.getMetadata().getResourceVersion()));
    client
        .services()
        .inNamespace(APP)
        .list()
        .getItems()
        .forEach(
            d ->
                v.put(
                    "service/" + d.getMetadata().getName(), d.getMetadata().getResourceVersion()));
    client
        .network()
        .v1()
        .ingresses()
        .inNamespace(APP)
        .list()
        .getItems()
        .forEach(
            d ->
                v.put(
                    "ingress/" + d.getMetadata().getName(), d.getMetadata().getResourceVersion()));
    client
        .resources(HTTPRoute.class)
        .inNamespace(APP)
        .list()
        .getItems()
        .forEach(
            d ->
                v.put(
                    "httproute/" + d.getMetadata().getName(),
                    d.getMetadata().getResourceVersion()));
    client
        .secrets()
        .inNamespace(APP)
        .list()
        .getItems()
        .forEach(
            d ->
                v.put("secret/" + d.getMetadata().getName(), d.getMetadata().getResourceVersion()));
    client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(APP)
        .list()
        .getItems()
        .forEach(
            d ->
                v.put("netpol/" + d.getMetadata().getName(), d.getMetadata().getResourceVersion()));
    v.put("namespace", client.namespaces().withName(APP).get().getMetadata().getResourceVersion());
    return v;
  }

  /** Plays the Job controller and kubelet: the one-off's pod and how its container ended. */
  private void jobPod(String job, String name, int exitCode) {
    client
        .pods()
        .inNamespace(APP)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of(OneOffJobs.ONE_OFF_LABEL, job, "slipway.dev/app", APP))
                .endMetadata()
                .withNewStatus()
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .addNewContainerStatus()
                .withName("run")
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
  }

  /** The CRUD mock answers a log path with a resource list; a kubelet answers with the log. */
  private void stubLog(String pod, String body) {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + APP + "/pods/" + pod + "/log?pretty=false")
        .andReturn(200, body)
        .always();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}

package dev.slipway.testing.executor.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.Digest;
import dev.slipway.apps.process.Cancellation;
import dev.slipway.kubernetes.namespace.EphemeralNamespace;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.namespace.IsolationPolicy;
import dev.slipway.testing.executor.NodeOutput;
import dev.slipway.testing.executor.RunListener;
import dev.slipway.testing.executor.TestExecution;
import dev.slipway.testing.executor.TestJob;
import dev.slipway.testing.results.TestOutcome;
import dev.slipway.testing.runs.NodeResult;
import dev.slipway.testing.runs.NodeStatus;
import dev.slipway.testing.runs.TestRunPhase;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test run as a cluster sees it: the test plays the Job controller and kubelet against a CRUD
 * mock API server, and checks that the run's namespace is gone afterwards.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesTestExecutorTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final UUID RUN = UUID.fromString("3f2a9c1e-7b4d-4e5f-9a0b-1c2d3e4f5a6b");
  private static final UUID PIPELINE = UUID.fromString("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
  private static final String NS = "shop-ci-7";
  private static final String TAP =
      """
      -----> Running test: npm test
      TAP version 13
      1..2
      ok 1 - adds
      not ok 2 - divides # TODO later
      """;

  KubernetesMockServer server;
  KubernetesClient client;
  private final List<KubernetesClient> clients = new ArrayList<>();

  @TempDir Path work;

  private final ExecutorService runner = Executors.newSingleThreadExecutor();
  private final Map<Integer, List<String>> outputs = new ConcurrentHashMap<>();
  private final Map<Integer, Set<String>> hidden = new ConcurrentHashMap<>();
  private final List<Object> events = new CopyOnWriteArrayList<>();
  private Path lastBundle;

  @BeforeEach
  void podLogs() {
    stubLog("node-0-abcde", "-----> Running test-setup: ./setup.sh\nmigrated\n" + TAP);
    stubLog("node-1-fghij", "-----> Running test: npm test\nnot ok 1 - slices\n");
  }

  @AfterEach
  void stopRunner() throws InterruptedException {
    runner.shutdownNow();
    runner.awaitTermination(10, TimeUnit.SECONDS);
    clients.forEach(KubernetesClient::close);
  }

  @Test
  void nodeRunsAsALockedDownJobInAnIsolatedNamespaceThatIsDeletedAfterwards() throws Exception {
    Future<TestExecution> run =
        start(
            """
            {"environments": {"test": {
              "env": {"GREETING": "hello"},
              "scripts": {"test-setup": "./setup.sh", "test": "npm test"}}}}
            """,
            new Cancellation());

    Job job = awaitJob(0);
    Namespace ns = client.namespaces().withName(NS).get();
    Map<String, String> labels = ns.getMetadata().getLabels();
    assertEquals("slipway", labels.get("app.kubernetes.io/managed-by"));
    assertEquals("test", labels.get("slipway.dev/kind"));
    assertEquals("7", labels.get("slipway.dev/test-run"));
    assertEquals("shop", labels.get("slipway.dev/pipeline"));
    assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
    assertEquals(
        "2026-03-01T12:15:00Z",
        ns.getMetadata().getAnnotations().get("slipway.dev/expires-at"),
        "expires at the run's deadline");
    assertEquals(
        List.of("allow-egress", "allow-ingress-controller", "allow-same-namespace", "default-deny"),
        names(client.network().v1().networkPolicies().inNamespace(NS).list().getItems()));
    assertEquals(
        "8",
        client
            .resourceQuotas()
            .inNamespace(NS)
            .withName("slipway-quota")
            .get()
            .getSpec()
            .getHard()
            .get("limits.cpu")
            .toString());
    assertEquals(
        Boolean.FALSE,
        client
            .serviceAccounts()
            .inNamespace(NS)
            .withName("slipway-app")
            .get()
            .getAutomountServiceAccountToken());
    // The service's rights in the namespace: exactly one RoleBinding, to its own ClusterRole.
    assertEquals(
        List.of(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("slipway-test-service-in-managed-namespace")
                .withNamespace(NS)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "slipway"))
                .endMetadata()
                .withRoleRef(
                    new RoleRef(
                        "rbac.authorization.k8s.io",
                        "ClusterRole",
                        "slipway-test-service-in-managed-namespace"))
                .withSubjects(new Subject(null, "ServiceAccount", "test-service", "slipway"))
                .build()),
        client.rbac().roleBindings().inNamespace(NS).list().getItems().stream()
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

    assertEquals(NS, job.getMetadata().getNamespace());
    assertEquals(nodeLabels(0), job.getMetadata().getLabels());
    assertEquals(yaml(expectedSpec()), yaml(job.getSpec()));
    assertFalse(yaml(job).contains("s3cr3t"), "config var values stay out of the Job");
    assertEquals(
        Map.of(
            "CI", "true",
            "GREETING", "hello",
            "HEROKU_TEST_RUN_ID", RUN.toString(),
            "HEROKU_TEST_RUN_NUMBER", "7",
            "MAVEN_MIRROR", "https://u:s3cr3t@mirror.example"),
        secretData("slipway-test-env"));
    assertEquals(Map.of("token", "fetch-token-123"), secretData("slipway-fetch-token"));

    createPod(job, "node-0-abcde", testContainer(0, "test"));
    finishJob(0, "Complete", null);

    TestExecution execution = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertNull(execution.abortPhase());
    NodeResult node = execution.nodes().get(0);
    assertEquals(NodeStatus.PASSED, node.status());
    assertEquals(0, node.exitCode());
    assertEquals(
        List.of("adds:PASSED", "divides:SKIPPED"),
        node.cases().stream().map(c -> c.name() + ":" + c.outcome()).toList());
    assertEquals(
        List.of(
            "-----> Running test-setup: ./setup.sh",
            "migrated",
            "-----> Running test: npm test",
            "TAP version 13",
            "1..2",
            "ok 1 - adds",
            "not ok 2 - divides # TODO later",
            "-----> Tests passed (2 test cases)"),
        outputs.get(0));
    assertEquals(List.of("nodes:1", TestRunPhase.RUNNING), events);
    assertNothingLeft();
  }

  @Test
  void twoNodesGetTheirOwnIndexAndEachItsOwnVerdict() throws Exception {
    Future<TestExecution> run =
        start(
            """
            {"environments": {"test": {
              "scripts": {"test": "npm test"},
              "formation": {"test": {"quantity": 2}}}}}
            """,
            new Cancellation());

    Job first = awaitJob(0);
    Job second = awaitJob(1);
    assertEquals("0", env(first, "CI_NODE_INDEX"));
    assertEquals("1", env(second, "CI_NODE_INDEX"));
    assertEquals("2", env(first, "CI_NODE_TOTAL"));
    assertEquals("2", env(second, "CI_NODE_TOTAL"));
    assertEquals(nodeLabels(1), second.getSpec().getTemplate().getMetadata().getLabels());

    createPod(first, "node-0-abcde", testContainer(0, "test"));
    createPod(second, "node-1-fghij", testContainer(1, "test"));
    finishJob(0, "Complete", null);
    finishJob(1, "Failed", "BackoffLimitExceeded");

    List<NodeResult> nodes = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).nodes();
    assertEquals(NodeStatus.PASSED, nodes.get(0).status());
    assertEquals(NodeStatus.FAILED, nodes.get(1).status());
    assertEquals(1, nodes.get(1).exitCode());
    assertEquals("tests failed (exit 1)", nodes.get(1).message());
    assertEquals(TestOutcome.FAILED, nodes.get(1).cases().get(0).outcome());
    assertTrue(outputs.get(1).contains("-----> Tests failed with exit code 1 (1 test cases)"));
    assertEquals(List.of("nodes:2", TestRunPhase.RUNNING), events);
    assertNothingLeft();
  }

  @Test
  void failingTestSetupIsErrored() throws Exception {
    Future<TestExecution> run =
        start(
            """
            {"environments": {"test": {
              "scripts": {"test-setup": "./setup.sh", "test": "npm test"}}}}
            """,
            new Cancellation());

    Job job = awaitJob(0);
    createPod(job, "node-0-abcde", testContainer(3, "test-setup"));
    finishJob(0, "Failed", "BackoffLimitExceeded");

    NodeResult node = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).nodes().get(0);
    assertEquals(NodeStatus.ERRORED, node.status());
    assertEquals("test-setup failed (exit 3)", node.message());
    assertNothingLeft();
  }

  @Test
  void postgresAddOnRunsInTheNamespaceAndEachNodeReadsItsOwnDatabaseUrlFromASecret()
      throws Exception {
    Future<TestExecution> run =
        start(
            """
            {"environments": {"test": {
              "addons": ["heroku-postgresql:in-dyno"],
              "scripts": {"test": "npm test"},
              "formation": {"test": {"quantity": 2}}}}}
            """,
            new Cancellation());

    Job first = awaitJob(0);
    awaitJob(1);
    Deployment db = client.apps().deployments().inNamespace(NS).withName("postgres").get();
    assertEquals(yaml(expectedPostgres()), yaml(db.getSpec()));
    assertEquals(
        "postgres",
        client
            .services()
            .inNamespace(NS)
            .withName("postgres")
            .get()
            .getSpec()
            .getPorts()
            .get(0)
            .getName());
    assertEquals(
        Map.of("10-node-databases.sql", "CREATE DATABASE node_0;\nCREATE DATABASE node_1;\n"),
        client.configMaps().inNamespace(NS).withName("postgres-init").get().getData());
    Map<String, String> dbSecret = secretData("postgres");
    String password = dbSecret.get("password");
    assertTrue(password.matches("[0-9a-f]{48}"), password);
    assertEquals(
        "postgres://postgres:" + password + "@postgres:5432/node_1",
        dbSecret.get("database-url-1"));
    assertEquals(
        List.of("fetch", "wait-for-postgres"),
        first.getSpec().getTemplate().getSpec().getInitContainers().stream()
            .map(c -> c.getName())
            .toList());
    EnvVar url =
        first.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("DATABASE_URL"))
            .findFirst()
            .orElseThrow();
    assertNull(url.getValue());
    assertEquals("postgres", url.getValueFrom().getSecretKeyRef().getName());
    assertEquals("database-url-0", url.getValueFrom().getSecretKeyRef().getKey());

    createPod(first, "node-0-abcde", testContainer(0, "test"));
    finishJob(0, "Complete", null);
    finishJob(1, "Failed", "BackoffLimitExceeded");

    List<NodeResult> nodes = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).nodes();
    assertEquals(NodeStatus.PASSED, nodes.get(0).status());
    assertEquals(NodeStatus.ERRORED, nodes.get(1).status(), "its pod never started");
    assertEquals("the test pod never started (BackoffLimitExceeded)", nodes.get(1).message());
    assertTrue(hidden.get(0).contains(password));
    assertTrue(hidden.get(1).contains(dbSecret.get("database-url-1")));
    assertNothingLeft();
  }

  @Test
  void otherAddOnsFailTheRunBeforeAnythingIsCreated() throws Exception {
    TestExecution execution =
        start(
                """
                {"environments": {"test": {
                  "addons": ["heroku-redis:mini"], "scripts": {"test": "npm test"}}}}
                """,
                new Cancellation())
            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertEquals(TestRunPhase.FAILED, execution.abortPhase(), "the user's app.json asked for it");
    assertEquals(
        "app.json: environments.test.addons: heroku-redis is not supported in test runs;"
            + " supported add-ons: heroku-postgresql",
        execution.abortMessage());
    assertEquals(List.of(), client.namespaces().list().getItems());
  }

  @Test
  void appWithoutATestScriptFailsBeforeAnythingIsCreated() throws Exception {
    TestExecution execution =
        start("{}", new Cancellation()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertEquals(TestRunPhase.FAILED, execution.abortPhase());
    assertTrue(execution.abortMessage().startsWith("no test command"));
    assertEquals(List.of(), client.namespaces().list().getItems());
  }

  @Test
  void formationTheQuotaCannotHoldIsErroredBeforeAnythingIsCreated() throws Exception {
    TestExecution execution =
        start(
                """
                {"environments": {"test": {
                  "scripts": {"test": "npm test"},
                  "formation": {"test": {"quantity": 9}}}}}
                """,
                new Cancellation())
            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertEquals(TestRunPhase.ERRORED, execution.abortPhase());
    assertEquals(
        "9 test node(s) need limits.cpu 9, more than the test namespace quota of 8",
        execution.abortMessage());
    assertEquals(List.of(), client.namespaces().list().getItems());
  }

  @Test
  void cancellingDeletesTheJobsAndTheNamespace() throws Exception {
    Cancellation cancellation = new Cancellation();
    Future<TestExecution> run =
        start(
            """
            {"environments": {"test": {
              "scripts": {"test": "npm test"}, "formation": {"test": {"quantity": 2}}}}}
            """,
            cancellation);

    Job job = awaitJob(1);
    createPod(job, "node-1-fghij", running());
    cancellation.cancel();

    List<NodeResult> nodes = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).nodes();
    assertEquals(
        List.of(NodeStatus.CANCELLED, NodeStatus.CANCELLED),
        nodes.stream().map(NodeResult::status).toList());
    assertEquals(List.of("-----> Cancelled"), outputs.get(1));
    assertNothingLeft();
  }

  @Test
  void jobKilledAtItsDeadlineIsTimedOut() throws Exception {
    Future<TestExecution> run = start(simpleApp(), new Cancellation());

    awaitJob(0);
    finishJob(0, "Failed", "DeadlineExceeded");

    NodeResult node = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).nodes().get(0);
    assertEquals(NodeStatus.TIMED_OUT, node.status());
    assertNothingLeft();
  }

  @Test
  void runStillGoingAtItsDeadlineIsTimedOutAndCleanedUp() throws Exception {
    KubernetesTestExecutor executor =
        new KubernetesTestExecutor(executorClient(), settings(), id -> "shop", Clock.systemUTC());
    Path bundle = bundle(simpleApp());
    TestJob job = job(bundle, new Cancellation(), Instant.now().plusSeconds(2));

    TestExecution execution =
        runner
            .submit(() -> executor.run(job, listener()))
            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertEquals(NodeStatus.TIMED_OUT, execution.nodes().get(0).status());
    assertNothingLeft();
  }

  @Test
  void sourceFetchThatFailsIsErroredWithItsMessage() throws Exception {
    Future<TestExecution> run = start(simpleApp(), new Cancellation());

    Job job = awaitJob(0);
    createPod(
        job,
        "node-0-abcde",
        new ContainerStatusBuilder()
            .withName("fetch")
            .withNewState()
            .withNewTerminated()
            .withExitCode(22)
            .withMessage("curl: (22) The requested URL returned error: 401")
            .endTerminated()
            .endState()
            .build());
    finishJob(0, "Failed", "BackoffLimitExceeded");

    NodeResult node = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).nodes().get(0);
    assertEquals(NodeStatus.ERRORED, node.status());
    assertEquals("could not fetch the source bundle (exit 22)", node.message());
    assertTrue(outputs.get(0).contains("       curl: (22) The requested URL returned error: 401"));
    assertNothingLeft();
  }

  @Test
  void unreadableLogDoesNotChangeTheVerdict() throws Exception {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + NS + "/pods/node-0-zzzzz/log?pretty=false&container=test")
        .andReturn(404, "{\"kind\":\"Status\",\"code\":404}")
        .always();
    Future<TestExecution> run = start(simpleApp(), new Cancellation());

    Job job = awaitJob(0);
    createPod(job, "node-0-zzzzz", testContainer(0, "test"));
    finishJob(0, "Complete", null);

    NodeResult node = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).nodes().get(0);
    assertEquals(NodeStatus.PASSED, node.status());
    assertTrue(
        outputs.get(0).contains("-----> The node's output could not be read from Kubernetes"));
  }

  @Test
  void sweepDeletesOnlyTestNamespacesPastTheirExpiry() {
    EphemeralNamespaces namespaces =
        new EphemeralNamespaces(client, IsolationPolicy.defaults("test-service"));
    namespaces.ensure(EphemeralNamespace.testRun("shop", 1, NOW.minusSeconds(60)));
    namespaces.ensure(EphemeralNamespace.testRun("shop", 2, NOW.plusSeconds(60)));
    namespaces.ensure(EphemeralNamespace.reviewApp("shop", 3, NOW.minusSeconds(60)));

    executor().sweepAbandoned(ids -> ids);

    assertEquals(List.of("shop-ci-2", "shop-pr-3"), names(client.namespaces().list().getItems()));
  }

  // --- playing the cluster ---

  private Job awaitJob(int index) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> client.batch().v1().jobs().inNamespace(NS).withName("node-" + index).get(),
            Objects::nonNull);
  }

  private void finishJob(int index, String type, String reason) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withName("node-" + index)
        .editStatus(
            j ->
                new JobBuilder(j)
                    .withNewStatus()
                    .addNewCondition()
                    .withType(type)
                    .withStatus("True")
                    .withReason(reason)
                    .endCondition()
                    .endStatus()
                    .build());
  }

  /** Plays the Job controller and kubelet: the Job's pod, with its containers' states. */
  private void createPod(Job job, String name, ContainerStatus... statuses) {
    List<ContainerStatus> all = List.of(statuses);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
            .addToLabels("job-name", job.getMetadata().getName())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase("Running")
            .withInitContainerStatuses(
                all.stream().filter(s -> !s.getName().equals("test")).toList())
            .withContainerStatuses(all.stream().filter(s -> s.getName().equals("test")).toList())
            .endStatus()
            .build();
    client.pods().inNamespace(NS).resource(pod).create();
    client.pods().inNamespace(NS).resource(pod).updateStatus();
  }

  /** The test container's end; {@code step} is what the runner wrote to its termination log. */
  private static ContainerStatus testContainer(int exitCode, String step) {
    return new ContainerStatusBuilder()
        .withName("test")
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withMessage(step)
        .endTerminated()
        .endState()
        .build();
  }

  private static ContainerStatus running() {
    return new ContainerStatusBuilder()
        .withName("test")
        .withNewState()
        .withNewRunning()
        .withStartedAt("2026-03-01T12:00:05Z")
        .endRunning()
        .endState()
        .build();
  }

  /**
   * The CRUD mock answers a pod's log path with a resource list, so logs are answered here, as a
   * kubelet would.
   */
  private void stubLog(String pod, String text) {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?pretty=false&container=test")
        .andReturn(200, text)
        .always();
  }

  /**
   * What the run made is deleted one by one, then the namespace. The policies, quota, limit range
   * and service accounts go with the namespace (a real API server cascades; the mock does not).
   */
  private void assertNothingLeft() {
    assertNull(client.namespaces().withName(NS).get(), "namespace deleted");
    assertEquals(List.of(), names(client.batch().v1().jobs().inNamespace(NS).list().getItems()));
    assertEquals(List.of(), names(client.pods().inNamespace(NS).list().getItems()));
    assertEquals(List.of(), names(client.secrets().inNamespace(NS).list().getItems()));
    assertEquals(List.of(), names(client.configMaps().inNamespace(NS).list().getItems()));
    assertEquals(List.of(), names(client.apps().deployments().inNamespace(NS).list().getItems()));
    assertEquals(List.of(), names(client.services().inNamespace(NS).list().getItems()));
  }

  // --- the run ---

  private Future<TestExecution> start(String appJson, Cancellation cancellation) throws Exception {
    Path bundle = bundle(appJson);
    lastBundle = bundle;
    KubernetesTestExecutor executor = executor();
    TestJob job = job(bundle, cancellation, NOW.plus(Duration.ofMinutes(15)));
    return runner.submit(() -> executor.run(job, listener()));
  }

  private Path bundle(String appJson) throws Exception {
    Path source = Files.createDirectories(work.resolve("source-" + UUID.randomUUID()));
    Files.writeString(source.resolve("app.json"), appJson);
    Files.writeString(source.resolve("package.json"), "{\"name\": \"shop\"}");
    Path bundle = work.resolve("bundle-" + UUID.randomUUID() + ".tar.gz");
    Archives.pack(source, bundle);
    return bundle;
  }

  private TestJob job(Path bundle, Cancellation cancellation, Instant deadline) {
    return new TestJob(
        RUN,
        PIPELINE,
        bundle,
        Map.of("CI", "true", "HEROKU_TEST_RUN_ID", RUN.toString(), "HEROKU_TEST_RUN_NUMBER", "7"),
        Map.of("MAVEN_MIRROR", "https://u:s3cr3t@mirror.example"),
        deadline,
        cancellation,
        false);
  }

  private RunListener listener() {
    return new RunListener() {
      @Override
      public void nodesPlanned(int count) {
        events.add("nodes:" + count);
      }

      @Override
      public void phase(TestRunPhase phase) {
        events.add(phase);
      }

      @Override
      public NodeOutput output(int index, Set<String> secrets) {
        hidden.put(index, secrets);
        List<String> lines = outputs.computeIfAbsent(index, i -> new CopyOnWriteArrayList<>());
        return new NodeOutput() {
          @Override
          public void line(String text) {
            lines.add(text);
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  private KubernetesTestSettings settings() {
    return new KubernetesTestSettings(
        IsolationPolicy.defaults("test-service"),
        "heroku/heroku:24",
        1000,
        "curlimages/curl:8.11.1",
        "http://test-service.slipway.svc:8082/source-bundles/{digest}",
        "fetch-token-123",
        "postgres:17",
        new KubernetesTestSettings.Resources("250m", "512Mi", "1", "1Gi"),
        new KubernetesTestSettings.Resources("100m", "256Mi", "1", "1Gi"),
        16,
        1 << 20,
        work.resolve("scratch"),
        Duration.ofMillis(50));
  }

  private KubernetesTestExecutor executor() {
    return new KubernetesTestExecutor(
        executorClient(), settings(), id -> "shop", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /**
   * The executor's own client, as in production: a connection the mock server drops must not take
   * down the one the test plays the cluster with.
   */
  private KubernetesClient executorClient() {
    KubernetesClient own = server.createClient();
    clients.add(own);
    return own;
  }

  private static String simpleApp() {
    return "{\"environments\": {\"test\": {\"scripts\": {\"test\": \"npm test\"}}}}";
  }

  private Map<String, String> secretData(String name) {
    Secret secret = client.secrets().inNamespace(NS).withName(name).get();
    assertNotNull(secret, name);
    assertEquals("slipway", secret.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    assertEquals(RUN.toString(), secret.getMetadata().getLabels().get("slipway.dev/test-run-id"));
    return secret.getData().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8),
                (a, b) -> a,
                TreeMap::new));
  }

  private static String env(Job job, String name) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  private static Map<String, String> nodeLabels(int index) {
    return Map.of(
        "app.kubernetes.io/managed-by",
        "slipway",
        "app.kubernetes.io/component",
        "test-node",
        "slipway.dev/test-run-id",
        RUN.toString(),
        "slipway.dev/node",
        Integer.toString(index));
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
  }

  private String yaml(Object o) {
    return client.getKubernetesSerialization().asYaml(o);
  }

  private JobSpec expectedSpec() throws Exception {
    String yaml =
        """
        backoffLimit: 0
        activeDeadlineSeconds: 900
        template:
          metadata:
            labels:
              app.kubernetes.io/managed-by: slipway
              app.kubernetes.io/component: test-node
              slipway.dev/test-run-id: RUN
              slipway.dev/node: "0"
          spec:
            restartPolicy: Never
            serviceAccountName: slipway-app
            automountServiceAccountToken: false
            enableServiceLinks: false
            securityContext:
              runAsNonRoot: true
              runAsUser: 1000
              runAsGroup: 1000
              fsGroup: 1000
              seccompProfile:
                type: RuntimeDefault
            initContainers:
            - name: fetch
              image: curlimages/curl:8.11.1
              command: [sh, -c, FETCH]
              env:
              - name: SLIPWAY_SOURCE_URL
                value: http://test-service.slipway.svc:8082/source-bundles/sha256:BUNDLE
              - name: SLIPWAY_SOURCE_SHA256
                value: BUNDLE
              - name: SLIPWAY_FETCH_TOKEN
                valueFrom:
                  secretKeyRef:
                    name: slipway-fetch-token
                    key: token
                    optional: false
              volumeMounts:
              - name: workspace
                mountPath: /workspace
              - name: fetch-tmp
                mountPath: /tmp
              resources:
                requests: {cpu: 50m, memory: 64Mi}
                limits: {cpu: 500m, memory: 256Mi}
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: true
              terminationMessagePolicy: FallbackToLogsOnError
            containers:
            - name: test
              image: heroku/heroku:24
              command: [bash, -c, RUNNER]
              workingDir: /workspace
              envFrom:
              - secretRef:
                  name: slipway-test-env
                  optional: false
              env:
              - name: CI
                value: "true"
              - name: CI_NODE_TOTAL
                value: "1"
              - name: CI_NODE_INDEX
                value: "0"
              - name: SLIPWAY_TEST_SETUP
                value: ./setup.sh
              - name: SLIPWAY_TEST
                value: npm test
              volumeMounts:
              - name: workspace
                mountPath: /workspace
              resources:
                requests: {cpu: 250m, memory: 512Mi}
                limits: {cpu: "1", memory: 1Gi}
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: false
              terminationMessagePath: /dev/termination-log
              terminationMessagePolicy: File
            volumes:
            - name: workspace
              emptyDir: {}
            - name: fetch-tmp
              emptyDir: {}
        """
            .replace("RUN", RUN.toString())
            .replace("BUNDLE", Digest.of(lastBundle).hex());
    JobSpec spec = client.getKubernetesSerialization().unmarshal(yaml, JobSpec.class);
    var pod = spec.getTemplate().getSpec();
    pod.getInitContainers()
        .get(0)
        .setCommand(List.of("sh", "-c", dev.slipway.kubernetes.workload.SourceFetch.SCRIPT));
    pod.getContainers().get(0).setCommand(List.of("bash", "-c", TestRunResources.RUNNER_SCRIPT));
    return spec;
  }

  private io.fabric8.kubernetes.api.model.apps.DeploymentSpec expectedPostgres() {
    String yaml =
        """
        replicas: 1
        selector:
          matchLabels:
            slipway.dev/test-run-id: RUN
            slipway.dev/addon: heroku-postgresql
        strategy:
          type: Recreate
        template:
          metadata:
            labels:
              app.kubernetes.io/managed-by: slipway
              app.kubernetes.io/component: addon
              slipway.dev/test-run-id: RUN
              slipway.dev/addon: heroku-postgresql
          spec:
            automountServiceAccountToken: false
            enableServiceLinks: false
            securityContext:
              runAsNonRoot: true
              runAsUser: 999
              runAsGroup: 999
              fsGroup: 999
              seccompProfile:
                type: RuntimeDefault
            containers:
            - name: postgres
              image: postgres:17
              env:
              - name: POSTGRES_PASSWORD
                valueFrom:
                  secretKeyRef: {name: postgres, key: password, optional: false}
              - name: PGDATA
                value: /var/lib/postgresql/data/pgdata
              ports:
              - name: postgres
                containerPort: 5432
                protocol: TCP
              readinessProbe:
                exec:
                  command: [pg_isready, --host=127.0.0.1, --port=5432, --quiet]
                periodSeconds: 2
              volumeMounts:
              - {name: data, mountPath: /var/lib/postgresql/data}
              - {name: run, mountPath: /var/run/postgresql}
              - {name: tmp, mountPath: /tmp}
              - {name: init, mountPath: /docker-entrypoint-initdb.d, readOnly: true}
              resources:
                requests: {cpu: 100m, memory: 256Mi}
                limits: {cpu: "1", memory: 1Gi}
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: false
            volumes:
            - {name: data, emptyDir: {}}
            - {name: run, emptyDir: {}}
            - {name: tmp, emptyDir: {}}
            - name: init
              configMap: {name: postgres-init, defaultMode: 292}
        """
            .replace("RUN", RUN.toString());
    return client
        .getKubernetesSerialization()
        .unmarshal(yaml, io.fabric8.kubernetes.api.model.apps.DeploymentSpec.class);
  }
}

package dev.slipway.build.executor.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.process.Cancellation;
import dev.slipway.build.executor.BuildFailure;
import dev.slipway.build.executor.BuildFailure.Kind;
import dev.slipway.build.executor.BuildJob;
import dev.slipway.build.executor.BuildProduct;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
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
 * The build Job as a cluster sees it, and what the executor makes of the Job's end: the test plays
 * the Job controller and kubelet against a CRUD mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBuildExecutorTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String NAMESPACE = "slipway-builds";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final UUID BUILD = UUID.fromString("3f2a9c1e-7b4d-4e5f-9a0b-1c2d3e4f5a6b");
  private static final UUID PIPELINE = UUID.fromString("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
  private static final String SHA = "ABC1234def5678901234567890abcdef12345678";
  private static final String JOB_NAME = "slipway-build-3f2a9c1e-abc1234";
  private static final String POD = JOB_NAME + "-q4w8z";

  /** The lifecycle's phases, one container each, in the order they must run. */
  private static final List<String> PHASES =
      List.of("analyze", "detect", "restore", "build", "export");

  /** What each phase's container prints. */
  private static final Map<String, String> OUTPUT =
      Map.of(
          "analyze", "===> ANALYZING\n",
          "detect", "===> DETECTING\npaketo-buildpacks/node-engine 1.2.3\n",
          "restore", "===> RESTORING\n",
          "build", "===> BUILDING\n",
          "export", "===> EXPORTING\n");

  private static final List<String> OUTPUT_LINES =
      List.of(
          "===> ANALYZING",
          "===> DETECTING",
          "paketo-buildpacks/node-engine 1.2.3",
          "===> RESTORING",
          "===> BUILDING",
          "===> EXPORTING");
  private static final String BUNDLE_HEX = "0123456789abcdef".repeat(4);
  private static final String IMAGE_DIGEST = "sha256:" + "fedcba9876543210".repeat(4);
  private static final String IMAGE = "registry.example.com/slipway/" + PIPELINE + ":" + BUILD;

  KubernetesMockServer server;
  KubernetesClient client;
  private final List<KubernetesClient> clients = new java.util.ArrayList<>();

  @TempDir Path source;

  private final ExecutorService runner = Executors.newSingleThreadExecutor();
  private final List<String> lines = new CopyOnWriteArrayList<>();

  /**
   * The CRUD mock answers a pod's log path with a resource list (and may drop the connection when
   * it is followed), so every pod the tests create gets its log answered here, as a kubelet would.
   */
  @BeforeEach
  void podLogsCannotBeFollowed() {
    stubLogs(POD, false, true);
  }

  @AfterEach
  void stopRunner() throws InterruptedException {
    runner.shutdownNow();
    runner.awaitTermination(10, TimeUnit.SECONDS);
    clients.forEach(KubernetesClient::close);
  }

  @Test
  void jobRunsTheLifecycleLockedDownWithTheSourceFetchedByDigestAndConfigVarsInASecret()
      throws Exception {
    Future<BuildProduct> build =
        start(job(new Cancellation(), Map.of("DATABASE_URL", "postgres://u:hunter2@db/x")));

    Job job = awaitJob();
    assertEquals(JOB_NAME, job.getMetadata().getName());
    assertEquals(NAMESPACE, job.getMetadata().getNamespace());
    assertEquals(labels(), job.getMetadata().getLabels());
    assertEquals(yaml(expectedSpec()), yaml(job.getSpec()));
    assertFalse(yaml(job).contains("hunter2"), "config var values stay out of the Job");
    Secret vars = client.secrets().inNamespace(NAMESPACE).withName(JOB_NAME + "-env").get();
    assertEquals(labels(), vars.getMetadata().getLabels());
    assertEquals(
        "postgres://u:hunter2@db/x",
        new String(
            Base64.getDecoder().decode(vars.getData().get("DATABASE_URL")),
            StandardCharsets.UTF_8));
    assertEquals(JOB_NAME, vars.getMetadata().getOwnerReferences().get(0).getName());

    createPod(job, exported(report()));
    finishJob("Complete", null);
    build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertNothingLeft();
  }

  @Test
  void onlyTheLifecycleStepsThatRunNoBuildpackHoldTheRegistryCredentials() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of("API_KEY", "k-123")));

    PodSpec pod = awaitJob().getSpec().getTemplate().getSpec();
    List<Container> steps = new java.util.ArrayList<>(pod.getInitContainers());
    steps.addAll(pod.getContainers());
    assertEquals(
        List.of("fetch", "analyze", "detect", "restore", "build", "export"),
        steps.stream().map(Container::getName).toList(),
        "the phases run one after the other, the exporter last");
    assertEquals(List.of("export"), pod.getContainers().stream().map(Container::getName).toList());
    Map<String, Container> byName =
        steps.stream().collect(Collectors.toMap(Container::getName, c -> c));
    for (String runsBuildpacks : List.of("detect", "build")) {
      Container step = byName.get(runsBuildpacks);
      assertFalse(mounts(step).contains("registry-auth"), runsBuildpacks);
      assertFalse(envNames(step).contains("DOCKER_CONFIG"), runsBuildpacks);
      assertTrue(mounts(step).contains("config-vars"), runsBuildpacks);
    }
    for (String talksToTheRegistry : List.of("analyze", "restore", "export")) {
      Container step = byName.get(talksToTheRegistry);
      assertTrue(mounts(step).contains("registry-auth"), talksToTheRegistry);
      assertFalse(mounts(step).contains("config-vars"), talksToTheRegistry);
    }
    assertFalse(pod.getAutomountServiceAccountToken(), "no service-account token in the pod");
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    for (Container step : steps) {
      assertFalse(step.getSecurityContext().getAllowPrivilegeEscalation(), step.getName());
      assertEquals(
          List.of("ALL"), step.getSecurityContext().getCapabilities().getDrop(), step.getName());
      assertNull(step.getSecurityContext().getPrivileged(), step.getName());
      assertNull(
          step.getSecurityContext().getRunAsUser(), step.getName() + " runs as the pod's user");
    }

    createPod(awaitJob(), exported(report()));
    finishJob("Complete", null);
    build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void noBuildpackDetectingTheAppIsTheUsersFailureAndStopsTheLaterPhases() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, failedAt("detect", 20));
    finishJob("Failed", "BackoffLimitExceeded");

    BuildFailure failure = failure(build);
    assertEquals(Kind.FAILED, failure.kind());
    assertEquals("no buildpack detected this app (lifecycle exit 20)", failure.getMessage());
    assertEquals(
        List.of("===> ANALYZING", "===> DETECTING", "paketo-buildpacks/node-engine 1.2.3"),
        podLines());
    assertNothingLeft();
  }

  private static List<String> mounts(Container c) {
    return c.getVolumeMounts().stream().map(VolumeMount::getName).toList();
  }

  private static List<String> envNames(Container c) {
    return c.getEnv().stream().map(EnvVar::getName).toList();
  }

  @Test
  void completedJobYieldsTheImageItPushedByDigestAndLeavesNothingInTheNamespace() throws Exception {
    Files.writeString(source.resolve("Procfile"), "web: node server.js\nworker: node jobs.js\n");
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, exported(report()));
    finishJob("Complete", null);

    BuildProduct product = build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertNull(product.slug());
    assertEquals(IMAGE + "@" + IMAGE_DIGEST, product.imageReference());
    assertEquals(IMAGE_DIGEST, product.imageDigest());
    assertEquals(Map.of("web", "node server.js", "worker", "node jobs.js"), product.processTypes());
    assertEquals("cnb", product.stack());
    assertEquals(
        List.of("paketo-buildpacks/node-engine", "paketo-buildpacks/npm-install"),
        product.buildpacks());
    assertTrue(lines.contains("-----> Pushed " + IMAGE + "@" + IMAGE_DIGEST), lines.toString());
    assertNothingLeft();
  }

  @Test
  void reportWithoutBuildpacksGivesTheGenericCnbBuildpack() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(
        job,
        exported("[image]\n  tags = [\"" + IMAGE + "\"]\n  digest = \"" + IMAGE_DIGEST + "\"\n"));
    finishJob("Complete", null);

    BuildProduct product = build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertEquals(List.of("cnb"), product.buildpacks());
    assertEquals(Map.of(), product.processTypes());
  }

  @Test
  void completedJobWithoutADigestInItsReportIsErrored() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, exported(null));
    finishJob("Complete", null);

    BuildFailure failure = failure(build);
    assertEquals(Kind.ERRORED, failure.kind());
    assertNothingLeft();
  }

  @Test
  void buildpackThatFailsIsTheUsersFailure() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, failedAt("build", 51));
    finishJob("Failed", "BackoffLimitExceeded");

    BuildFailure failure = failure(build);
    assertEquals(Kind.FAILED, failure.kind());
    assertEquals("a buildpack failed to build this app (lifecycle exit 51)", failure.getMessage());
    assertNothingLeft();
  }

  @Test
  void podEvictedForWritingPastItsDiskQuotaIsTheUsersFailure() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, running("build"));
    String kubelet = "Usage of EmptyDir volume \"workspace\" exceeds the limit \"10Gi\". ";
    client
        .pods()
        .inNamespace(NAMESPACE)
        .withName(POD)
        .editStatus(
            p ->
                new PodBuilder(p)
                    .editStatus()
                    .withPhase("Failed")
                    .withReason("Evicted")
                    .withMessage(kubelet)
                    .endStatus()
                    .build());
    finishJob("Failed", "BackoffLimitExceeded");

    BuildFailure failure = failure(build);
    assertEquals(Kind.FAILED, failure.kind());
    assertEquals(
        "the build wrote more than its disk quota: " + kubelet.strip(), failure.getMessage());
    assertNothingLeft();
  }

  @Test
  void sourceFetchThatFailsIsErroredAndItsOutputLogged() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(
        job,
        new ContainerStatusBuilder()
            .withName("fetch")
            .withNewState()
            .withNewTerminated()
            .withExitCode(22)
            .withMessage("curl: (22) The requested URL returned error: 401")
            .endTerminated()
            .endState()
            .build());
    finishJob("Failed", "BackoffLimitExceeded");

    BuildFailure failure = failure(build);
    assertEquals(Kind.ERRORED, failure.kind());
    assertEquals("could not fetch the source bundle (exit 22)", failure.getMessage());
    assertTrue(
        lines.contains("       curl: (22) The requested URL returned error: 401"),
        lines.toString());
    assertNothingLeft();
  }

  @Test
  void jobKilledAtItsDeadlineIsErroredAsATimeout() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    awaitJob();
    finishJob("Failed", "DeadlineExceeded");

    BuildFailure failure = failure(build);
    assertEquals(Kind.ERRORED, failure.kind());
    assertEquals("build exceeded its timeout", failure.getMessage());
    assertNothingLeft();
  }

  @Test
  void buildStillRunningAtItsDeadlineIsErroredAndItsJobDeleted() throws Exception {
    KubernetesBuildExecutor executor =
        new KubernetesBuildExecutor(executorClient(), settings(), Clock.systemUTC());
    BuildJob job = job(new Cancellation(), Map.of(), Instant.now().plusSeconds(1));
    Future<BuildProduct> build = runner.submit(() -> executor.build(job, lines::add));

    BuildFailure failure = failure(build);
    assertEquals(Kind.ERRORED, failure.kind());
    assertEquals("build exceeded its timeout", failure.getMessage());
    assertNothingLeft();
  }

  @Test
  void podThatNeverStartedIsErrored() throws Exception {
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    awaitJob();
    finishJob("Failed", "PodFailurePolicy");

    BuildFailure failure = failure(build);
    assertEquals(Kind.ERRORED, failure.kind());
    assertEquals("the build pod never started (PodFailurePolicy)", failure.getMessage());
  }

  @Test
  void cancellingDeletesTheJobAndReportsCancelled() throws Exception {
    Cancellation cancellation = new Cancellation();
    Future<BuildProduct> build = start(job(cancellation, Map.of("API_KEY", "k-123")));

    Job job = awaitJob();
    createPod(job, running("analyze"));
    cancellation.cancel();

    BuildFailure failure = failure(build);
    assertEquals(Kind.CANCELLED, failure.kind());
    assertNothingLeft();
  }

  @Test
  void malformedProcfileFailsTheBuildBeforeAnyJobExists() throws Exception {
    Files.writeString(source.resolve("Procfile"), "this is not a procfile\n");

    BuildFailure failure =
        assertThrows(
            BuildFailure.class,
            () -> executor().build(job(new Cancellation(), Map.of()), lines::add));

    assertEquals(Kind.FAILED, failure.kind());
    assertNothingLeft();
  }

  @Test
  void outputThatCannotBeFollowedIsReadOnceAtTheEnd() throws Exception {
    String pod = JOB_NAME + "-x7k2p";
    stubLogs(pod, false, true);
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, pod, exported(report()));
    finishJob("Complete", null);

    build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertEquals(OUTPUT_LINES, podLines());
  }

  @Test
  void outputIsFollowedWhileTheBuildRunsAndNotRepeatedAtTheEnd() throws Exception {
    String pod = JOB_NAME + "-m3n9c";
    stubLogs(pod, true, true);
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, pod, running("analyze"));
    await().atMost(PATIENCE).until(() -> podLines().equals(List.of("===> ANALYZING")));
    List<ContainerStatus> done = List.of(exported(report()));
    client
        .pods()
        .inNamespace(NAMESPACE)
        .withName(pod)
        .editStatus(
            p ->
                new PodBuilder(p)
                    .editStatus()
                    .withInitContainerStatuses(
                        done.stream().filter(c -> !c.getName().equals("export")).toList())
                    .withContainerStatuses(
                        done.stream().filter(c -> c.getName().equals("export")).toList())
                    .endStatus()
                    .build());
    finishJob("Complete", null);

    build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertEquals(OUTPUT_LINES, podLines());
  }

  @Test
  void unreadableOutputDoesNotFailTheBuild() throws Exception {
    String pod = JOB_NAME + "-z0d5f";
    stubLogs(pod, false, false);
    Future<BuildProduct> build = start(job(new Cancellation(), Map.of()));

    Job job = awaitJob();
    createPod(job, pod, exported(report()));
    finishJob("Complete", null);

    assertEquals(IMAGE_DIGEST, build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).imageDigest());
    assertTrue(
        lines.contains("-----> The build's output could not be read from Kubernetes"),
        lines.toString());
  }

  /**
   * Answers the log of each phase's container of {@code pod} with its {@link #OUTPUT}, followed or
   * read whole; what is not answerable is a 404.
   */
  private void stubLogs(String pod, boolean followable, boolean readable) {
    for (String phase : PHASES) {
      String path =
          "/api/v1/namespaces/"
              + NAMESPACE
              + "/pods/"
              + pod
              + "/log?pretty=false&container="
              + phase;
      answer(path + "&follow=true", followable ? OUTPUT.get(phase) : null);
      answer(path, readable ? OUTPUT.get(phase) : null);
    }
  }

  private void answer(String path, String body) {
    if (body == null) {
      // What an API server says when a container's log is gone: a Status, not an empty body.
      server
          .expect()
          .get()
          .withPath(path)
          .andReturn(
              404,
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                  + "\"reason\":\"NotFound\",\"code\":404}")
          .always();
    } else {
      server.expect().get().withPath(path).andReturn(200, body).always();
    }
  }

  /** What the build log got from the pod, without the executor's own lines. */
  private List<String> podLines() {
    return lines.stream().filter(l -> !l.startsWith("-----> ") && !l.startsWith("   ")).toList();
  }

  private KubernetesBuildSettings settings() {
    return new KubernetesBuildSettings(
        NAMESPACE,
        "paketobuildpacks/builder-jammy-base",
        "registry.example.com/slipway/",
        "slipway-registry",
        "curlimages/curl:8.11.1",
        "http://build-service.slipway.svc:8081/source-bundles/{digest}",
        "slipway-build-fetch-token",
        "token",
        "0.12",
        new KubernetesBuildSettings.Resources("500m", "1Gi", null, "4Gi", "10Gi"),
        Duration.ofHours(1),
        Duration.ofMillis(50));
  }

  private KubernetesBuildExecutor executor() {
    return new KubernetesBuildExecutor(
        executorClient(), settings(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /**
   * The executor's own client, as in production: a log stream the mock server cuts off must not
   * take down the connection the test plays the cluster with.
   */
  private KubernetesClient executorClient() {
    KubernetesClient own = server.createClient();
    clients.add(own);
    return own;
  }

  private BuildJob job(Cancellation cancellation, Map<String, String> configVars) {
    return job(cancellation, configVars, NOW.plus(Duration.ofMinutes(15)));
  }

  private BuildJob job(Cancellation cancellation, Map<String, String> configVars, Instant end) {
    return new BuildJob(
        BUILD,
        PIPELINE,
        SHA,
        NOW,
        source,
        "sha256:" + BUNDLE_HEX,
        "file:///var/slipway/artifacts/sha256/01/" + BUNDLE_HEX,
        configVars,
        end,
        cancellation,
        false);
  }

  private Future<BuildProduct> start(BuildJob job) {
    KubernetesBuildExecutor executor = executor();
    return runner.submit(() -> executor.build(job, lines::add));
  }

  private Job awaitJob() {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> client.batch().v1().jobs().inNamespace(NAMESPACE).withName(JOB_NAME).get(),
            Objects::nonNull);
  }

  /** Plays the Job controller: the Job's condition, as Kubernetes sets it when the pod ends. */
  private void finishJob(String type, String reason) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NAMESPACE)
        .withName(JOB_NAME)
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

  private void createPod(Job job, ContainerStatus... statuses) {
    createPod(job, POD, statuses);
  }

  /** Plays the Job controller and kubelet: the Job's pod, with its containers' states. */
  private void createPod(Job job, String name, ContainerStatus... statuses) {
    List<ContainerStatus> all = List.of(statuses);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
            .addToLabels("job-name", JOB_NAME)
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase("Running")
            .withInitContainerStatuses(
                all.stream().filter(s -> !s.getName().equals("export")).toList())
            .withContainerStatuses(all.stream().filter(s -> s.getName().equals("export")).toList())
            .endStatus()
            .build();
    client.pods().inNamespace(NAMESPACE).resource(pod).create();
    client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
  }

  private static ContainerStatus ended(String container, int exitCode, String message) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withMessage(message)
        .endTerminated()
        .endState()
        .build();
  }

  /** Every phase ended well; the exporter's termination message is {@code report}. */
  private static ContainerStatus[] exported(String report) {
    return PHASES.stream()
        .map(p -> ended(p, 0, p.equals("export") ? report : null))
        .toArray(ContainerStatus[]::new);
  }

  /** The phases before {@code phase} ended well, {@code phase} exited with {@code exitCode}. */
  private static ContainerStatus[] failedAt(String phase, int exitCode) {
    List<String> before = PHASES.subList(0, PHASES.indexOf(phase));
    return java.util.stream.Stream.concat(
            before.stream().map(p -> ended(p, 0, null)),
            java.util.stream.Stream.of(ended(phase, exitCode, null)))
        .toArray(ContainerStatus[]::new);
  }

  /** The phases before {@code phase} ended well and {@code phase} runs. */
  private static ContainerStatus[] running(String phase) {
    List<String> before = PHASES.subList(0, PHASES.indexOf(phase));
    ContainerStatus runs =
        new ContainerStatusBuilder()
            .withName(phase)
            .withNewState()
            .withNewRunning()
            .withStartedAt("2026-03-01T12:00:05Z")
            .endRunning()
            .endState()
            .build();
    return java.util.stream.Stream.concat(
            before.stream().map(p -> ended(p, 0, null)), java.util.stream.Stream.of(runs))
        .toArray(ContainerStatus[]::new);
  }

  /** report.toml as lifecycle 0.17 writes it, with a bill of materials. */
  private static String report() {
    return """
        [image]
          tags = ["%s"]
          image-id = ""
          digest = "%s"
          manifest-size = 2417

        [build]
          [[build.bom]]
            name = "node"
            [build.bom.metadata]
              version = "20.11.0"
            [build.bom.buildpack]
              id = "paketo-buildpacks/node-engine"
              version = "3.2.1"
          [[build.bom]]
            name = "node_modules"
            [build.bom.buildpack]
              id = "paketo-buildpacks/npm-install"
              version = "1.4.0"
        """
        .formatted(IMAGE, IMAGE_DIGEST);
  }

  private BuildFailure failure(Future<BuildProduct> build) throws Exception {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> build.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    return assertInstanceOf(BuildFailure.class, e.getCause());
  }

  private void assertNothingLeft() {
    assertEquals(
        List.of(), names(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()));
    assertEquals(List.of(), names(client.pods().inNamespace(NAMESPACE).list().getItems()));
    assertEquals(List.of(), names(client.secrets().inNamespace(NAMESPACE).list().getItems()));
  }

  private static List<String> names(
      List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).collect(Collectors.toList());
  }

  private static Map<String, String> labels() {
    return Map.of(
        "app.kubernetes.io/managed-by",
        "slipway",
        "app.kubernetes.io/component",
        "build",
        "slipway.dev/pipeline",
        PIPELINE.toString(),
        "slipway.dev/build",
        BUILD.toString());
  }

  private String yaml(Object o) {
    return serialization().asYaml(o);
  }

  private KubernetesSerialization serialization() {
    return client.getKubernetesSerialization();
  }

  private JobSpec expectedSpec() {
    String yaml =
        """
        backoffLimit: 0
        activeDeadlineSeconds: 900
        ttlSecondsAfterFinished: 3600
        template:
          metadata:
            labels:
              app.kubernetes.io/managed-by: slipway
              app.kubernetes.io/component: build
              slipway.dev/pipeline: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a
              slipway.dev/build: 3f2a9c1e-7b4d-4e5f-9a0b-1c2d3e4f5a6b
          spec:
            restartPolicy: Never
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
              command:
              - sh
              - -c
              - |
                set -eu
                printf 'Authorization: Bearer %s\\n' "$SLIPWAY_FETCH_TOKEN" \\
                  | curl --fail --silent --show-error --retry 3 --connect-timeout 10 --max-time 600 \\
                      --header @- --output /tmp/source.tar.gz "$SLIPWAY_SOURCE_URL"
                echo "$SLIPWAY_SOURCE_SHA256  /tmp/source.tar.gz" | sha256sum -c -
                tar -xzf /tmp/source.tar.gz -C /workspace
                rm -f /tmp/source.tar.gz
              env:
              - name: SLIPWAY_SOURCE_URL
                value: http://build-service.slipway.svc:8081/source-bundles/sha256:BUNDLE
              - name: SLIPWAY_SOURCE_SHA256
                value: BUNDLE
              - name: SLIPWAY_FETCH_TOKEN
                valueFrom:
                  secretKeyRef:
                    name: slipway-build-fetch-token
                    key: token
                    optional: false
              volumeMounts:
              - name: workspace
                mountPath: /workspace
              - name: fetch-tmp
                mountPath: /tmp
              resources:
                requests:
                  cpu: 50m
                  memory: 64Mi
                limits:
                  memory: 256Mi
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: true
              terminationMessagePolicy: FallbackToLogsOnError
            - name: analyze
              image: paketobuildpacks/builder-jammy-base
              command:
              - /cnb/lifecycle/analyzer
              args:
              - -layers=/layers
              - -analyzed=/layers/analyzed.toml
              - -cache-image=registry.example.com/slipway/PIPELINE:build-cache
              - registry.example.com/slipway/PIPELINE:BUILD
              env:
              - name: CNB_PLATFORM_API
                value: "0.12"
              - name: CNB_NO_COLOR
                value: "true"
              - name: SOURCE_DATE_EPOCH
                value: "1772366400"
              - name: DOCKER_CONFIG
                value: /docker-config
              volumeMounts:
              - name: layers
                mountPath: /layers
              - name: registry-auth
                mountPath: /docker-config
                readOnly: true
              resources:
                requests:
                  cpu: 500m
                  memory: 1Gi
                limits:
                  memory: 4Gi
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: false
            - name: detect
              image: paketobuildpacks/builder-jammy-base
              command:
              - /cnb/lifecycle/detector
              args:
              - -app=/workspace
              - -layers=/layers
              - -platform=/platform
              - -group=/layers/group.toml
              - -plan=/layers/plan.toml
              env:
              - name: CNB_PLATFORM_API
                value: "0.12"
              - name: CNB_NO_COLOR
                value: "true"
              - name: SOURCE_DATE_EPOCH
                value: "1772366400"
              volumeMounts:
              - name: workspace
                mountPath: /workspace
              - name: layers
                mountPath: /layers
              - name: platform
                mountPath: /platform
              - name: config-vars
                mountPath: /platform/env
                readOnly: true
              resources:
                requests:
                  cpu: 500m
                  memory: 1Gi
                limits:
                  memory: 4Gi
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: false
            - name: restore
              image: paketobuildpacks/builder-jammy-base
              command:
              - /cnb/lifecycle/restorer
              args:
              - -layers=/layers
              - -analyzed=/layers/analyzed.toml
              - -group=/layers/group.toml
              - -cache-image=registry.example.com/slipway/PIPELINE:build-cache
              env:
              - name: CNB_PLATFORM_API
                value: "0.12"
              - name: CNB_NO_COLOR
                value: "true"
              - name: SOURCE_DATE_EPOCH
                value: "1772366400"
              - name: DOCKER_CONFIG
                value: /docker-config
              volumeMounts:
              - name: layers
                mountPath: /layers
              - name: registry-auth
                mountPath: /docker-config
                readOnly: true
              resources:
                requests:
                  cpu: 500m
                  memory: 1Gi
                limits:
                  memory: 4Gi
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: false
            - name: build
              image: paketobuildpacks/builder-jammy-base
              command:
              - /cnb/lifecycle/builder
              args:
              - -app=/workspace
              - -layers=/layers
              - -platform=/platform
              - -group=/layers/group.toml
              - -plan=/layers/plan.toml
              env:
              - name: CNB_PLATFORM_API
                value: "0.12"
              - name: CNB_NO_COLOR
                value: "true"
              - name: SOURCE_DATE_EPOCH
                value: "1772366400"
              volumeMounts:
              - name: workspace
                mountPath: /workspace
              - name: layers
                mountPath: /layers
              - name: platform
                mountPath: /platform
              - name: config-vars
                mountPath: /platform/env
                readOnly: true
              resources:
                requests:
                  cpu: 500m
                  memory: 1Gi
                limits:
                  memory: 4Gi
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: false
            containers:
            - name: export
              image: paketobuildpacks/builder-jammy-base
              command:
              - /cnb/lifecycle/exporter
              args:
              - -app=/workspace
              - -layers=/layers
              - -analyzed=/layers/analyzed.toml
              - -group=/layers/group.toml
              - -cache-image=registry.example.com/slipway/PIPELINE:build-cache
              - -report=/dev/termination-log
              - registry.example.com/slipway/PIPELINE:BUILD
              env:
              - name: CNB_PLATFORM_API
                value: "0.12"
              - name: CNB_NO_COLOR
                value: "true"
              - name: SOURCE_DATE_EPOCH
                value: "1772366400"
              - name: DOCKER_CONFIG
                value: /docker-config
              volumeMounts:
              - name: workspace
                mountPath: /workspace
              - name: layers
                mountPath: /layers
              - name: registry-auth
                mountPath: /docker-config
                readOnly: true
              resources:
                requests:
                  cpu: 500m
                  memory: 1Gi
                limits:
                  memory: 4Gi
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                readOnlyRootFilesystem: false
              terminationMessagePath: /dev/termination-log
              terminationMessagePolicy: File
            volumes:
            - name: workspace
              emptyDir:
                sizeLimit: 10Gi
            - name: layers
              emptyDir:
                sizeLimit: 10Gi
            - name: platform
              emptyDir: {}
            - name: fetch-tmp
              emptyDir: {}
            - name: config-vars
              secret:
                secretName: slipway-build-3f2a9c1e-abc1234-env
                defaultMode: 288
            - name: registry-auth
              secret:
                secretName: slipway-registry
                items:
                - key: .dockerconfigjson
                  path: config.json
                defaultMode: 288
        """
            .replace("BUNDLE", BUNDLE_HEX)
            .replace("PIPELINE", PIPELINE.toString())
            .replace("BUILD", BUILD.toString());
    return serialization().unmarshal(yaml, JobSpec.class);
  }
}

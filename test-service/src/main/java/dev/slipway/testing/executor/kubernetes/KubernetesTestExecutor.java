package dev.slipway.testing.executor.kubernetes;

import static dev.slipway.kubernetes.job.JobStates.FAILED;
import static dev.slipway.kubernetes.job.JobStates.condition;
import static dev.slipway.kubernetes.job.JobStates.exitCode;
import static dev.slipway.kubernetes.job.JobStates.terminated;
import static dev.slipway.kubernetes.job.KubernetesErrors.describe;
import static dev.slipway.kubernetes.job.KubernetesErrors.quietly;
import static dev.slipway.testing.executor.kubernetes.TestRunResources.FETCH_CONTAINER;
import static dev.slipway.testing.executor.kubernetes.TestRunResources.NODE_LABEL;
import static dev.slipway.testing.executor.kubernetes.TestRunResources.RUN_LABEL;
import static dev.slipway.testing.executor.kubernetes.TestRunResources.SETUP_STEP;
import static dev.slipway.testing.executor.kubernetes.TestRunResources.TEST_CONTAINER;
import static dev.slipway.testing.executor.kubernetes.TestRunResources.TEST_MARKER;
import static dev.slipway.testing.executor.kubernetes.TestRunResources.WAIT_CONTAINER;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.Digest;
import dev.slipway.apps.manifest.AppEnvironment;
import dev.slipway.apps.manifest.AppManifest;
import dev.slipway.apps.manifest.EnvVar;
import dev.slipway.apps.manifest.Formation;
import dev.slipway.apps.manifest.ManifestException;
import dev.slipway.kubernetes.job.JobWatch;
import dev.slipway.kubernetes.namespace.EphemeralNamespace;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.namespace.IsolationPolicy;
import dev.slipway.testing.executor.NodeOutput;
import dev.slipway.testing.executor.RunListener;
import dev.slipway.testing.executor.TestAddons;
import dev.slipway.testing.executor.TestExecution;
import dev.slipway.testing.executor.TestExecutor;
import dev.slipway.testing.executor.TestJob;
import dev.slipway.testing.results.TapParser;
import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.runs.NodeResult;
import dev.slipway.testing.runs.NodeStatus;
import dev.slipway.testing.runs.TestRunPhase;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The Kubernetes test executor: every run gets its own isolated namespace ({@code
 * <pipeline>-ci-<number>}) holding a Job per node, whose init container fetches the source bundle
 * by digest and whose test container runs app.json's test-setup and test; heroku-postgresql is a
 * database pod in the namespace. The namespace is deleted when the run ends, whatever happened.
 *
 * <p>Results come from the pods: exit code and step from the test container's terminated state,
 * output and TAP test cases from its log, read once the node ended. JUnit XML files the tests write
 * stay in the pod's filesystem, which the API cannot read, so this executor lists only the test
 * cases a run reports as TAP on stdout.
 *
 * <p>Over 500 lines because it declares the run's namespace, policies, add-on pods and node Jobs
 * exactly (the tests assert those resources), besides watching and collecting them.
 */
public final class KubernetesTestExecutor implements TestExecutor {

  private static final Logger LOG = Logger.getLogger(KubernetesTestExecutor.class);

  /** Set by the run's owner for every run (Heroku's name): the number in the namespace's name. */
  static final String RUN_NUMBER_VARIABLE = "HEROKU_TEST_RUN_NUMBER";

  /** An API server's answer to a log request it refused: not the node's output. */
  private static final String STATUS_BODY = "{\"kind\":\"Status\"";

  private final KubernetesClient client;
  private final KubernetesTestSettings settings;
  private final EphemeralNamespaces namespaces;
  private final Function<UUID, String> pipelineNames;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param pipelineNames a pipeline's name by id, for the namespace's name; the id itself when the
   *     name is unknown
   */
  public KubernetesTestExecutor(
      KubernetesClient client,
      KubernetesTestSettings settings,
      Function<UUID, String> pipelineNames) {
    this(client, settings, pipelineNames, Clock.systemUTC());
  }

  KubernetesTestExecutor(
      KubernetesClient client,
      KubernetesTestSettings settings,
      Function<UUID, String> pipelineNames,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.pipelineNames = Objects.requireNonNull(pipelineNames, "pipelineNames");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.namespaces = new EphemeralNamespaces(client, settings.isolation());
  }

  /**
   * Deletes test namespaces past their expiry: their run's deadline has passed, so no instance is
   * still running them. Younger ones may belong to another instance's runs and are left alone.
   */
  @Override
  public void sweepAbandoned(Unended unended) {
    Instant now = clock.instant();
    try {
      for (Namespace ns : namespaces.managed(EphemeralNamespace.Kind.TEST)) {
        String expires =
            ns.getMetadata().getAnnotations() == null
                ? null
                : ns.getMetadata().getAnnotations().get(EphemeralNamespaces.EXPIRES_AT);
        if (expired(expires, now)) {
          deleteNamespace(ns.getMetadata().getName());
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warnf("could not look for abandoned test namespaces: %s", describe(e));
    }
  }

  @Override
  public TestExecution run(TestJob job, RunListener listener) {
    if (job.cancellation().isCancelled()) {
      return TestExecution.aborted(TestRunPhase.CANCELLED, "cancelled");
    }
    Plan plan;
    try {
      plan = plan(job);
    } catch (Abort a) {
      return a.execution;
    }
    EphemeralNamespace spec =
        EphemeralNamespace.testRun(plan.pipeline, plan.number, job.deadline());
    listener.nodesPlanned(plan.quantity);
    JobWatch watch = new JobWatch(client, spec.name(), settings.pollInterval(), clock);
    Runnable wake = watch::wake;
    job.cancellation().onCancel(wake);
    try {
      namespaces.ensure(spec);
      TestRunResources resources = new TestRunResources(settings, spec.name(), job.runId());
      create(resources, job, plan);
      Instant started = clock.instant();
      listener.phase(TestRunPhase.RUNNING);
      Map<Integer, Job> ended = awaitEnd(watch, plan.quantity, job);
      if (job.cancellation().isCancelled()) {
        deleteJobs(spec.name(), job);
      }
      List<NodeResult> results = new ArrayList<>();
      for (int i = 0; i < plan.quantity; i++) {
        results.add(
            result(
                spec.name(), job, listener, plan, i, ended.containsKey(i), ended.get(i), started));
      }
      return TestExecution.of(results);
    } catch (KubernetesClientException e) {
      return TestExecution.aborted(
          TestRunPhase.ERRORED, "could not set up the test namespace: " + describe(e));
    } catch (IllegalStateException e) {
      return TestExecution.aborted(TestRunPhase.ERRORED, e.getMessage());
    } finally {
      job.cancellation().forget(wake);
      cleanUp(spec.name(), job);
    }
  }

  /** What a run needs decided before anything exists in the cluster. */
  private record Plan(
      String pipeline,
      int number,
      Digest bundle,
      int quantity,
      String testSetup,
      String test,
      boolean database,
      String databasePassword,
      Map<String, String> env) {

    /** What the node's output must never show: its database's password and URL. */
    Set<String> secrets(int index) {
      return databasePassword == null
          ? Set.of()
          : Set.of(databasePassword, TestRunResources.databaseUrl(databasePassword, index));
    }
  }

  /** A run that ends before its namespace is made. */
  private static final class Abort extends Exception {
    final transient TestExecution execution;

    Abort(TestRunPhase phase, String message) {
      super(message, null, false, false);
      this.execution = TestExecution.aborted(phase, message);
    }
  }

  private Plan plan(TestJob job) throws Abort {
    AppManifest manifest = manifest(job);
    AppEnvironment test = manifest.appJson().environment("test").orElse(AppEnvironment.empty());
    Optional<String> unsupported = TestAddons.refusal(test.addons());
    if (unsupported.isPresent()) {
      throw new Abort(TestRunPhase.FAILED, unsupported.get());
    }
    boolean database = !test.addons().isEmpty();
    Formation formation = test.formation().get("test");
    int quantity = formation == null ? 1 : Math.max(1, formation.quantity());
    if (quantity > settings.maxNodes()) {
      throw new Abort(
          TestRunPhase.FAILED,
          "app.json: environments.test.formation.test.quantity is "
              + quantity
              + ", above this platform's limit of "
              + settings.maxNodes());
    }
    String testScript = test.scripts().test();
    if (testScript == null) {
      // The local executor falls back to a built-in buildpack's bin/test; pods have no buildpacks.
      throw new Abort(
          TestRunPhase.FAILED,
          "no test command: set environments.test.scripts.test in app.json (the kubernetes"
              + " test executor runs no buildpack)");
    }
    String quota = quotaShortfall(quantity, database);
    if (quota != null) {
      throw new Abort(TestRunPhase.ERRORED, quota);
    }
    int number;
    try {
      number = Integer.parseInt(job.environment().getOrDefault(RUN_NUMBER_VARIABLE, ""));
    } catch (NumberFormatException e) {
      throw new Abort(TestRunPhase.ERRORED, RUN_NUMBER_VARIABLE + " is not set for this run");
    }
    Digest bundle;
    try {
      bundle = Digest.of(job.sourceBundle());
    } catch (IOException e) {
      throw new Abort(TestRunPhase.ERRORED, "could not read the source bundle: " + e.getMessage());
    }
    String pipeline = pipelineNames.apply(job.pipelineId());
    if (pipeline == null || pipeline.isBlank()) {
      pipeline = job.pipelineId().toString();
    }
    Map<String, String> env = new HashMap<>(job.configVars());
    env.putAll(appEnvironment(test.env()));
    env.putAll(job.environment());
    return new Plan(
        pipeline,
        number,
        bundle,
        quantity,
        test.scripts().testSetup(),
        testScript,
        database,
        database ? randomHex(24) : null,
        env);
  }

  /** app.json only: the bundle is unpacked to read it and removed at once. */
  private AppManifest manifest(TestJob job) throws Abort {
    Path dir = settings.scratchDir().resolve(job.runId().toString());
    try {
      Archives.unpack(job.sourceBundle(), dir, settings.maxBundleBytes());
      return AppManifest.read(dir);
    } catch (IOException e) {
      throw new Abort(
          TestRunPhase.ERRORED, "could not unpack the source bundle: " + e.getMessage());
    } catch (ManifestException e) {
      throw new Abort(TestRunPhase.FAILED, e.getMessage());
    } catch (UncheckedIOException e) {
      throw new Abort(TestRunPhase.ERRORED, "could not read the app's manifest: " + e.getMessage());
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Why the namespace's quota cannot hold every node at once, or null: Kubernetes would otherwise
   * refuse the pods silently and the run would hang until its deadline.
   */
  private String quotaShortfall(int nodes, boolean database) {
    IsolationPolicy.Quota quota = settings.isolation().quota();
    int pods = nodes + (database ? 1 : 0);
    if (pods > quota.pods()) {
      return pods + " pods needed, the test namespace quota allows " + quota.pods();
    }
    KubernetesTestSettings.Resources node = settings.node();
    KubernetesTestSettings.Resources db = settings.postgres();
    String[][] checks = {
      {"requests.cpu", quota.requestsCpu(), node.cpuRequest(), db.cpuRequest()},
      {"requests.memory", quota.requestsMemory(), node.memoryRequest(), db.memoryRequest()},
      {"limits.cpu", quota.limitsCpu(), node.cpuLimit(), db.cpuLimit()},
      {"limits.memory", quota.limitsMemory(), node.memoryLimit(), db.memoryLimit()},
    };
    for (String[] c : checks) {
      Quantity need = new Quantity(c[2]).multiply(nodes);
      if (database) {
        need = need.add(new Quantity(c[3]));
      }
      if (need.compareTo(new Quantity(c[1])) > 0) {
        return nodes
            + " test node(s) need "
            + c[0]
            + " "
            + need
            + ", more than the test namespace quota of "
            + c[1];
      }
    }
    return null;
  }

  private void create(TestRunResources resources, TestJob job, Plan plan) {
    String ns = resources.namespace();
    client.secrets().inNamespace(ns).resource(resources.fetchTokenSecret()).create();
    client.secrets().inNamespace(ns).resource(resources.envSecret(plan.env)).create();
    if (plan.database) {
      client
          .secrets()
          .inNamespace(ns)
          .resource(resources.postgresSecret(plan.databasePassword, plan.quantity))
          .create();
      client.configMaps().inNamespace(ns).resource(resources.postgresInit(plan.quantity)).create();
      client.apps().deployments().inNamespace(ns).resource(resources.postgresDeployment()).create();
      client.services().inNamespace(ns).resource(resources.postgresService()).create();
    }
    Duration left = Duration.between(clock.instant(), job.deadline());
    for (int i = 0; i < plan.quantity; i++) {
      Job spec =
          resources.job(
              i, plan.quantity, plan.bundle, plan.testSetup, plan.test, plan.database, left);
      client.batch().v1().jobs().inNamespace(ns).resource(spec).create();
    }
  }

  /**
   * Each node's Job once it completed or failed (null if it vanished); nodes missing ran out of
   * time or were cancelled.
   */
  private Map<Integer, Job> awaitEnd(JobWatch watch, int nodes, TestJob job) {
    Map<String, Integer> nodeOf = new LinkedHashMap<>();
    for (int i = 0; i < nodes; i++) {
      nodeOf.put(TestRunResources.jobName(i), i);
    }
    Map<String, Job> byName =
        watch.awaitEnd(nodeOf.keySet(), job.deadline(), job.cancellation()::isCancelled);
    Map<Integer, Job> ended = new HashMap<>();
    byName.forEach((name, node) -> ended.put(nodeOf.get(name), node));
    return ended;
  }

  private NodeResult result(
      String ns,
      TestJob job,
      RunListener listener,
      Plan plan,
      int index,
      boolean finished,
      Job ended,
      Instant started) {
    try (NodeOutput out = listener.output(index, plan.secrets(index))) {
      Duration took = Duration.between(started, clock.instant());
      if (finished && ended == null) {
        String message = "the node's Job was deleted before it finished";
        out.line("-----> " + message);
        return new NodeResult(index, NodeStatus.ERRORED, null, took, message, List.of());
      }
      if (ended == null) {
        if (job.cancellation().isCancelled()) {
          out.line("-----> Cancelled");
          return new NodeResult(index, NodeStatus.CANCELLED, null, took, "cancelled", List.of());
        }
        copyLog(ns, findPod(ns, job, index), out);
        out.line("-----> Timed out");
        return new NodeResult(index, NodeStatus.TIMED_OUT, null, took, "timed out", List.of());
      }
      Pod pod = findPod(ns, job, index);
      List<String> lines = copyLog(ns, pod, out);
      return outcome(index, ended, pod, lines, took, out);
    }
  }

  private static NodeResult outcome(
      int index, Job ended, Pod pod, List<String> lines, Duration took, NodeOutput out) {
    JobCondition failed = condition(ended, FAILED);
    if (failed != null && "DeadlineExceeded".equals(failed.getReason())) {
      out.line("-----> Timed out");
      return new NodeResult(index, NodeStatus.TIMED_OUT, null, took, "timed out", List.of());
    }
    ContainerStateTerminated fetch = terminated(pod, FETCH_CONTAINER);
    if (fetch != null && exitCode(fetch) != 0) {
      if (fetch.getMessage() != null) {
        fetch.getMessage().lines().forEach(l -> out.line("       " + l));
      }
      return errored(index, exitCode(fetch), took, "could not fetch the source bundle", out);
    }
    ContainerStateTerminated wait = terminated(pod, WAIT_CONTAINER);
    if (wait != null && exitCode(wait) != 0) {
      return errored(
          index, exitCode(wait), took, "the heroku-postgresql database never answered", out);
    }
    ContainerStateTerminated test = terminated(pod, TEST_CONTAINER);
    if (test == null) {
      String reason =
          failed != null && failed.getReason() != null ? " (" + failed.getReason() + ")" : "";
      String message = "the test pod never started" + reason;
      out.line("-----> " + message);
      return new NodeResult(index, NodeStatus.ERRORED, null, took, message, List.of());
    }
    int exit = exitCode(test);
    boolean inSetup = SETUP_STEP.equals(test.getMessage() == null ? "" : test.getMessage().strip());
    if (inSetup && exit != 0) {
      return errored(index, exit, took, "test-setup failed", out);
    }
    List<TestCaseResult> cases = TapParser.parse(testStepLines(lines));
    if ("OOMKilled".equals(test.getReason())) {
      String message = "the tests ran out of memory (exit " + exit + ")";
      out.line("-----> " + message);
      return new NodeResult(index, NodeStatus.FAILED, exit, took, message, cases);
    }
    boolean passed = exit == 0;
    out.line(
        "-----> Tests "
            + (passed ? "passed" : "failed with exit code " + exit)
            + " ("
            + cases.size()
            + " test cases)");
    return new NodeResult(
        index,
        passed ? NodeStatus.PASSED : NodeStatus.FAILED,
        exit,
        took,
        passed ? null : "tests failed (exit " + exit + ")",
        cases);
  }

  private static NodeResult errored(
      int index, int exit, Duration took, String what, NodeOutput out) {
    String message = what + " (exit " + exit + ")";
    out.line("-----> " + message);
    return new NodeResult(index, NodeStatus.ERRORED, exit, took, message, List.of());
  }

  /** The test step's output: TAP is only looked for there, as the local executor does. */
  private static List<String> testStepLines(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(TEST_MARKER)) {
        return lines.subList(i + 1, lines.size());
      }
    }
    return List.of();
  }

  /** Copies the test container's log into the node's output; a log that cannot be read is noted. */
  private List<String> copyLog(String ns, Pod pod, NodeOutput out) {
    if (pod == null) {
      return List.of();
    }
    String text;
    try {
      text =
          client
              .pods()
              .inNamespace(ns)
              .withName(pod.getMetadata().getName())
              .inContainer(TEST_CONTAINER)
              .getLog();
    } catch (RuntimeException e) {
      LOG.debugf("cannot read test pod logs: %s", e.getMessage());
      text = null;
    }
    if (text == null || text.startsWith(STATUS_BODY)) {
      out.line("-----> The node's output could not be read from Kubernetes");
      return List.of();
    }
    List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\r?\n"));
    lines.forEach(out::line);
    return lines;
  }

  private Pod findPod(String ns, TestJob job, int index) {
    try {
      List<Pod> pods =
          client
              .pods()
              .inNamespace(ns)
              .withLabel(RUN_LABEL, job.runId().toString())
              .withLabel(NODE_LABEL, Integer.toString(index))
              .list()
              .getItems();
      Pod found = null;
      for (Pod pod : pods) {
        if (found == null || terminated(pod, TEST_CONTAINER) != null) {
          found = pod;
        }
      }
      return found;
    } catch (KubernetesClientException e) {
      LOG.debugf("test run %s: listing pods failed: %s", job.runId(), describe(e));
      return null;
    }
  }

  /** Stops every node at once; the namespace's deletion would, but only after its finalizers. */
  private void deleteJobs(String ns, TestJob job) {
    quietly(
        "jobs of test run " + job.runId(),
        () ->
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns)
                .withLabel(RUN_LABEL, job.runId().toString())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete());
  }

  /**
   * Deletes what the run made, then its namespace. Deleting the namespace alone would do in the
   * end; deleting the Secrets (fetch token, config vars) and pods first means they are gone even
   * while the namespace is stuck terminating.
   */
  private void cleanUp(String ns, TestJob job) {
    String run = job.runId().toString();
    deleteJobs(ns, job);
    quietly(
        "pods of test run " + run,
        () -> client.pods().inNamespace(ns).withLabel(RUN_LABEL, run).delete());
    quietly(
        "add-ons of test run " + run,
        () -> {
          client.apps().deployments().inNamespace(ns).withLabel(RUN_LABEL, run).delete();
          client.services().inNamespace(ns).withLabel(RUN_LABEL, run).delete();
          client.configMaps().inNamespace(ns).withLabel(RUN_LABEL, run).delete();
        });
    quietly(
        "secrets of test run " + run,
        () -> client.secrets().inNamespace(ns).withLabel(RUN_LABEL, run).delete());
    deleteNamespace(ns);
  }

  private void deleteNamespace(String ns) {
    try {
      namespaces.delete(ns);
    } catch (KubernetesClientException e) {
      LOG.warnf("could not delete test namespace %s: %s", ns, describe(e));
    } catch (IllegalStateException e) {
      LOG.warnf("left namespace %s alone: %s", ns, e.getMessage());
    }
  }

  /** app.json's test env: declared values, and a fresh random value per run for generated ones. */
  private Map<String, String> appEnvironment(Map<String, EnvVar> declared) {
    Map<String, String> env = new HashMap<>();
    declared.forEach(
        (key, var) -> {
          if (var.generatesSecret()) {
            env.put(key, randomHex(32));
          } else if (var.hasValue()) {
            env.put(key, var.value());
          }
        });
    return env;
  }

  private String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }

  private static boolean expired(String expiresAt, Instant now) {
    if (expiresAt == null) {
      return false;
    }
    try {
      return Instant.parse(expiresAt).isBefore(now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debugf("could not delete %s: %s", dir, e.getMessage());
    }
  }
}

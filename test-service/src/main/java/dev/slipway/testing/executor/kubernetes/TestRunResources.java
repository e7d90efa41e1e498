package dev.slipway.testing.executor.kubernetes;

import dev.slipway.apps.artifact.Digest;
import dev.slipway.apps.process.AppProfile;
import dev.slipway.kubernetes.workload.SourceFetch;
import dev.slipway.testing.executor.TestAddons;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The objects one test run puts in its namespace: the fetch-token and config-var Secrets, a Job per
 * node and, for heroku-postgresql, a database Deployment, Service and Secret. All are locked down
 * to Pod Security {@code restricted}.
 */
final class TestRunResources {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String COMPONENT = "app.kubernetes.io/component";
  static final String RUN_LABEL = "slipway.dev/test-run-id";
  static final String NODE_LABEL = "slipway.dev/node";
  static final String ADDON_LABEL = "slipway.dev/addon";

  static final String FETCH_CONTAINER = SourceFetch.CONTAINER;
  static final String WAIT_CONTAINER = "wait-for-postgres";
  static final String TEST_CONTAINER = "test";

  static final String FETCH_TOKEN_SECRET = "slipway-fetch-token";
  static final String FETCH_TOKEN_KEY = "token";
  static final String ENV_SECRET = "slipway-test-env";
  static final String POSTGRES = "postgres";
  static final String POSTGRES_INIT = "postgres-init";
  static final String POSTGRES_ADDON = TestAddons.POSTGRES;
  static final int POSTGRES_PORT = 5432;

  /** The postgres user of the official image: it refuses to run its server as anyone else. */
  static final long POSTGRES_USER = 999L;

  static final String WORKSPACE = "/workspace";
  static final String TERMINATION_LOG = "/dev/termination-log";

  /** What the test container writes to its termination log before each step. */
  static final String SETUP_STEP = "test-setup";

  static final String TEST_STEP = "test";

  /** The line the runner prints before the test step: TAP is read from the lines after it. */
  static final String TEST_MARKER = "-----> Running test: ";

  /**
   * Runs app.json's test-setup, then its test, each as the local executor and dynos do (the app's
   * profile sourced, then the script run from {@code $1}, {@link AppProfile}): the scripts reach
   * bash only through the environment. The termination log names the step that ran last, so a
   * failing test-setup (errored) is told from failing tests (failed).
   */
  static final String RUNNER_SCRIPT =
      """
      cd /workspace
      run() {
        bash -c '%s' slipway-test "$1"
      }
      if [ -n "${SLIPWAY_TEST_SETUP:-}" ]; then
        printf test-setup > /dev/termination-log
        echo "-----> Running test-setup: $SLIPWAY_TEST_SETUP"
        run "$SLIPWAY_TEST_SETUP" || exit $?
      fi
      printf test > /dev/termination-log
      echo "-----> Running test: $SLIPWAY_TEST"
      run "$SLIPWAY_TEST"
      """
          .formatted(AppProfile.RUN_FIRST_ARGUMENT);

  static final String WAIT_SCRIPT =
      "until pg_isready --host=postgres --port=5432 --quiet; do sleep 1; done";

  private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final KubernetesTestSettings settings;
  private final String namespace;
  private final UUID runId;

  TestRunResources(KubernetesTestSettings settings, String namespace, UUID runId) {
    this.settings = settings;
    this.namespace = namespace;
    this.runId = runId;
  }

  String namespace() {
    return namespace;
  }

  static String jobName(int index) {
    return "node-" + index;
  }

  static String databaseUrlKey(int index) {
    return "database-url-" + index;
  }

  static String databaseName(int index) {
    return "node_" + index;
  }

  Map<String, String> labels(String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, "slipway");
    labels.put(COMPONENT, component);
    labels.put(RUN_LABEL, runId.toString());
    return labels;
  }

  Map<String, String> nodeLabels(int index) {
    Map<String, String> labels = labels("test-node");
    labels.put(NODE_LABEL, Integer.toString(index));
    return labels;
  }

  Map<String, String> postgresLabels() {
    Map<String, String> labels = labels("addon");
    labels.put(ADDON_LABEL, POSTGRES_ADDON);
    return labels;
  }

  private Map<String, String> postgresSelector() {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(RUN_LABEL, runId.toString());
    selector.put(ADDON_LABEL, POSTGRES_ADDON);
    return selector;
  }

  Secret fetchTokenSecret() {
    return secret(
        FETCH_TOKEN_SECRET, labels("source-fetch"), Map.of(FETCH_TOKEN_KEY, settings.fetchToken()));
  }

  /** Every node's variables; names no shell could export are dropped, as locally. */
  Secret envSecret(Map<String, String> env) {
    Map<String, String> vars = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (CONFIG_KEY.matcher(k).matches() && v != null) {
            vars.put(k, v);
          }
        });
    return secret(ENV_SECRET, labels("test-env"), vars);
  }

  /** The database's password and each node's DATABASE_URL (a database per node). */
  Secret postgresSecret(String password, int nodes) {
    Map<String, String> data = new TreeMap<>();
    data.put("password", password);
    for (int i = 0; i < nodes; i++) {
      data.put(databaseUrlKey(i), databaseUrl(password, i));
    }
    return secret(POSTGRES, postgresLabels(), data);
  }

  static String databaseUrl(String password, int index) {
    return "postgres://postgres:"
        + password
        + "@"
        + POSTGRES
        + ":"
        + POSTGRES_PORT
        + "/"
        + databaseName(index);
  }

  /** Creates each node's database when the server first starts, before it listens on TCP. */
  ConfigMap postgresInit(int nodes) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < nodes; i++) {
      sql.append("CREATE DATABASE ").append(databaseName(i)).append(";\n");
    }
    return new ConfigMapBuilder()
        .withMetadata(meta(POSTGRES_INIT, postgresLabels()))
        .withImmutable(true)
        .addToData("10-node-databases.sql", sql.toString())
        .build();
  }

  Deployment postgresDeployment() {
    Map<String, String> labels = postgresLabels();
    Map<String, String> selector = postgresSelector();
    Container postgres =
        new ContainerBuilder()
            .withName(POSTGRES)
            .withImage(settings.postgresImage())
            .withEnv(
                secretEnv("POSTGRES_PASSWORD", POSTGRES, "password"),
                env("PGDATA", "/var/lib/postgresql/data/pgdata"))
            .addNewPort()
            .withName(POSTGRES)
            .withContainerPort(POSTGRES_PORT)
            .withProtocol("TCP")
            .endPort()
            .withNewReadinessProbe()
            .withNewExec()
            .withCommand("pg_isready", "--host=127.0.0.1", "--port=5432", "--quiet")
            .endExec()
            .withPeriodSeconds(2)
            .endReadinessProbe()
            .withVolumeMounts(
                mount("data", "/var/lib/postgresql/data", false),
                mount("run", "/var/run/postgresql", false),
                mount("tmp", "/tmp", false),
                mount("init", "/docker-entrypoint-initdb.d", true))
            .withResources(resources(settings.postgres()))
            .withSecurityContext(SourceFetch.lockedDown(false))
            .build();
    return new DeploymentBuilder()
        .withMetadata(meta(POSTGRES, labels))
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(podSecurity(POSTGRES_USER))
        .withContainers(postgres)
        .withVolumes(
            emptyDir("data"),
            emptyDir("run"),
            emptyDir("tmp"),
            new VolumeBuilder()
                .withName("init")
                .withNewConfigMap()
                .withName(POSTGRES_INIT)
                .withDefaultMode(0444)
                .endConfigMap()
                .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  Service postgresService() {
    return new ServiceBuilder()
        .withMetadata(meta(POSTGRES, postgresLabels()))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(postgresSelector())
        .addNewPort()
        .withName(POSTGRES)
        .withPort(POSTGRES_PORT)
        .withTargetPort(new IntOrString(POSTGRES_PORT))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * Node {@code index} of {@code total}: never retried (a test run is not idempotent for its user's
   * eyes), killed by Kubernetes at the run's deadline.
   */
  Job job(
      int index,
      int total,
      Digest bundle,
      String testSetup,
      String test,
      boolean database,
      Duration timeLeft) {
    long deadlineSeconds = Math.max(1, (timeLeft.toMillis() + 999) / 1000);
    Map<String, String> labels = nodeLabels(index);
    List<Container> init = new ArrayList<>();
    init.add(fetchContainer(bundle));
    if (database) {
      init.add(waitContainer());
    }
    return new JobBuilder()
        .withMetadata(meta(jobName(index), labels))
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadlineSeconds)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName("slipway-app")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(podSecurity(settings.runAsUser()))
        .withInitContainers(init)
        .withContainers(testContainer(index, total, testSetup, test, database))
        .withVolumes(emptyDir("workspace"), emptyDir("fetch-tmp"))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Container fetchContainer(Digest bundle) {
    String url =
        settings
            .sourceUrlTemplate()
            .replace(KubernetesTestSettings.DIGEST_PLACEHOLDER, bundle.toString());
    return SourceFetch.container(
        settings.fetchImage(), url, bundle.hex(), FETCH_TOKEN_SECRET, FETCH_TOKEN_KEY, small());
  }

  /** Holds the node back until its database answers, so test-setup may migrate it at once. */
  private Container waitContainer() {
    return new ContainerBuilder()
        .withName(WAIT_CONTAINER)
        .withImage(settings.postgresImage())
        .withCommand("sh", "-c", WAIT_SCRIPT)
        .withResources(small())
        .withSecurityContext(SourceFetch.lockedDown(true))
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  private Container testContainer(
      int index, int total, String testSetup, String test, boolean database) {
    List<EnvVar> env = new ArrayList<>();
    env.add(env("CI", "true"));
    env.add(env("CI_NODE_TOTAL", Integer.toString(total)));
    env.add(env("CI_NODE_INDEX", Integer.toString(index)));
    if (database) {
      env.add(secretEnv("DATABASE_URL", POSTGRES, databaseUrlKey(index)));
    }
    if (testSetup != null) {
      env.add(env("SLIPWAY_TEST_SETUP", testSetup));
    }
    env.add(env("SLIPWAY_TEST", test));
    return new ContainerBuilder()
        .withName(TEST_CONTAINER)
        .withImage(settings.testImage())
        .withCommand("bash", "-c", RUNNER_SCRIPT)
        .withWorkingDir(WORKSPACE)
        .addNewEnvFrom()
        .withNewSecretRef()
        .withName(ENV_SECRET)
        .withOptional(false)
        .endSecretRef()
        .endEnvFrom()
        .withEnv(env)
        .withVolumeMounts(mount("workspace", WORKSPACE, false))
        .withResources(resources(settings.node()))
        // Test toolchains write to HOME, /tmp and caches of the image's own tree.
        .withSecurityContext(SourceFetch.lockedDown(false))
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .build();
  }

  private ObjectMeta meta(String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .build();
  }

  private Secret secret(String name, Map<String, String> labels, Map<String, String> data) {
    Map<String, String> encoded = new TreeMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withMetadata(meta(name, labels))
        .withType("Opaque")
        .withImmutable(true)
        .withData(encoded)
        .build();
  }

  private static PodSecurityContext podSecurity(long user) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(user)
        .withRunAsGroup(user)
        .withFsGroup(user)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static ResourceRequirements resources(KubernetesTestSettings.Resources r) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(r.cpuRequest()))
        .addToRequests("memory", new Quantity(r.memoryRequest()))
        .addToLimits("cpu", new Quantity(r.cpuLimit()))
        .addToLimits("memory", new Quantity(r.memoryLimit()))
        .build();
  }

  /** The init containers' share: well below any node's, so they never decide a pod's quota use. */
  private static ResourceRequirements small() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("50m"))
        .addToRequests("memory", new Quantity("64Mi"))
        .addToLimits("cpu", new Quantity("500m"))
        .addToLimits("memory", new Quantity("256Mi"))
        .build();
  }

  private static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .withOptional(false)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}

package dev.slipway.testing.runs.runner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How test runs run here: see docs/operations.md for each setting. */
@ConfigMapping(prefix = "slipway.testruns")
public interface TestRunSettings {

  /** Runs executing at once; 0 means one per core. */
  @WithDefault("0")
  int workers();

  /** Whether this instance runs tests at all. */
  @WithName("workers-enabled")
  @WithDefault("true")
  boolean workersEnabled();

  /** Longest a run may take from claim to the last node's end (Heroku CI: 60 min). */
  @WithDefault("60m")
  Duration timeout();

  /**
   * Safety net: idle workers wake on every event this service commits (any instance), and look for
   * queued runs this often in case a wake-up was missed.
   */
  @WithName("poll-interval")
  @WithDefault("30s")
  Duration pollInterval();

  /** Per-run workspaces, per-pipeline caches and the extracted buildpacks. */
  @WithName("work-dir")
  Path workDir();

  /** Largest unpacked source bundle accepted. */
  @WithName("max-bundle-bytes")
  @WithDefault("1073741824")
  long maxBundleBytes();

  /** Most parallel nodes one run may ask for (app.json formation.test.quantity). */
  @WithName("max-nodes")
  @WithDefault("16")
  int maxNodes();

  /** Where nodes' JUnit XML reports are looked for, relative to the app. */
  @WithName("junit-globs")
  @WithDefault("**/surefire-reports/*.xml,**/junit*.xml")
  List<String> junitGlobs();

  /**
   * Most output one node keeps (Heroku-like: a few MB); past it one truncation line is kept, the
   * rest discarded, the process stopped and the node failed.
   */
  @WithName("output-max-bytes")
  @WithDefault("4194304")
  long outputMaxBytes();

  /** Most output lines one node keeps; a line costs a row however short it is. */
  @WithName("output-max-lines")
  @WithDefault("100000")
  int outputMaxLines();

  /** Config vars every non-fork run gets in its environment and ENV_DIR (e.g. a Maven mirror). */
  @WithName("config-vars")
  Map<String, String> configVars();

  /** Which executor runs tests: {@code local} or {@code kubernetes}. */
  @WithDefault("local")
  String executor();

  /**
   * Resident memory of each node's sandboxed process tree (test-compile, test-setup, test); above
   * it the tree is killed with a {@code killed: memory limit} line.
   */
  @WithName("sandbox.memory-mb")
  @WithDefault("4096")
  long sandboxMemoryMegabytes();

  /** Processes and threads of each node's sandboxed process tree (a fork bomb stops there). */
  @WithName("sandbox.processes")
  @WithDefault("2048")
  int sandboxProcesses();

  /**
   * What each node's sandboxed tree may keep on disk (its workspace and cache together; its {@code
   * /tmp} is as big); above it the tree is killed with a {@code killed: disk quota} line.
   */
  @WithName("sandbox.disk-mb")
  @WithDefault("10240")
  long sandboxDiskMegabytes();

  /**
   * Host paths test nodes may read (bound read-only into the sandbox), e.g. a pre-populated {@code
   * ~/.m2/repository} named by {@code MAVEN_REPO_TAIL}.
   */
  @WithName("sandbox.read-only")
  Optional<List<Path>> sandboxReadOnly();

  /** Optional override of where built-in buildpacks are extracted. */
  @WithName("buildpacks-dir")
  Optional<Path> buildpacksDir();

  /** {@code slipway.testruns.kubernetes.*}: read only when the executor is {@code kubernetes}. */
  Kubernetes kubernetes();

  /** {@code slipway.testruns.kubernetes.*}: see docs/operations.md. */
  interface Kubernetes {

    /** The image nodes run their tests in; it needs bash and the app's toolchain. */
    @WithName("test-image")
    @WithDefault("heroku/heroku:24")
    String testImage();

    /** The non-root user and group of the nodes' containers (heroku/heroku's {@code heroku}). */
    @WithName("run-as-user")
    @WithDefault("1000")
    long runAsUser();

    /** The image of the init container that fetches the source bundle. */
    @WithName("fetch-image")
    @WithDefault("curlimages/curl:8.11.1")
    String fetchImage();

    /** Where the fetch container downloads a bundle; {@code {digest}} is replaced. */
    @WithName("source-url")
    @WithDefault("http://build-service.slipway.svc:8081/source-bundles/{digest}")
    String sourceUrl();

    /** The API token (role viewer) the fetch container sends; required by this executor. */
    @WithName("fetch-token")
    Optional<String> fetchToken();

    /** The image of the heroku-postgresql add-on. */
    @WithName("postgres-image")
    @WithDefault("postgres:17")
    String postgresImage();

    @WithName("cpu-request")
    @WithDefault("250m")
    String cpuRequest();

    @WithName("memory-request")
    @WithDefault("512Mi")
    String memoryRequest();

    @WithName("cpu-limit")
    @WithDefault("1")
    String cpuLimit();

    @WithName("memory-limit")
    @WithDefault("2Gi")
    String memoryLimit();

    /** How often the nodes' Jobs are read. */
    @WithName("poll-interval")
    @WithDefault("2s")
    Duration pollInterval();

    /** Quota of each test namespace: room for max-nodes nodes and a database by default. */
    @WithName("quota.requests-cpu")
    @WithDefault("8")
    String quotaRequestsCpu();

    @WithName("quota.requests-memory")
    @WithDefault("16Gi")
    String quotaRequestsMemory();

    @WithName("quota.limits-cpu")
    @WithDefault("20")
    String quotaLimitsCpu();

    @WithName("quota.limits-memory")
    @WithDefault("40Gi")
    String quotaLimitsMemory();

    @WithName("quota.pods")
    @WithDefault("20")
    int quotaPods();

    /** The ingress controller's namespace, the only other one allowed to connect in. */
    @WithName("ingress-namespace")
    @WithDefault("ingress-nginx")
    String ingressNamespace();

    /** Where nodes may connect out to: {@code all}, {@code dns-only} or {@code none}. */
    @WithDefault("all")
    String egress();

    /** Namespaces nodes may always reach, e.g. the one serving source bundles. */
    @WithName("egress-namespaces")
    Optional<List<String>> egressNamespaces();

    /** Labels added to every test namespace. */
    @WithName("labels")
    Map<String, String> labels();

    /** The RoleBinding granting this service its rights in each test namespace. */
    @WithName("role-binding")
    @WithDefault("slipway-test-service-in-managed-namespace")
    String roleBinding();

    /** The ClusterRole that RoleBinding binds (installed with Slipway). */
    @WithName("cluster-role")
    @WithDefault("slipway-test-service-in-managed-namespace")
    String clusterRole();

    /** This service's ServiceAccount. */
    @WithName("service-account")
    @WithDefault("test-service")
    String serviceAccount();

    /** The namespace this service runs in. */
    @WithName("service-account-namespace")
    @WithDefault("slipway")
    String serviceAccountNamespace();
  }

  /** The effective number of workers. */
  default int parallelism() {
    return workers() > 0 ? workers() : Runtime.getRuntime().availableProcessors();
  }
}

package dev.slipway.build.builds.runner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How builds run here: see docs/operations.md for each setting. */
@ConfigMapping(prefix = "slipway.builds")
public interface BuildSettings {

  /** Builds running at once; 0 means one per core. */
  @WithDefault("0")
  int workers();

  /** Whether this instance runs builds at all (intake-only instances set false). */
  @WithName("workers-enabled")
  @WithDefault("true")
  boolean workersEnabled();

  /** Longest a build may take from start to artifact (Heroku: 15 min). */
  @WithDefault("15m")
  Duration timeout();

  /** Longest a git fetch may stall. */
  @WithName("fetch-timeout")
  @WithDefault("2m")
  Duration fetchTimeout();

  /**
   * Safety net: idle workers wake on every event this service commits (any instance), and look for
   * queued builds this often in case a wake-up was missed.
   */
  @WithName("poll-interval")
  @WithDefault("30s")
  Duration pollInterval();

  /** Per-build workspaces and per-pipeline caches. */
  @WithName("work-dir")
  Path workDir();

  /** Largest slug accepted (Heroku: 500 MB). */
  @WithName("max-slug-bytes")
  @WithDefault("524288000")
  long maxSlugBytes();

  /**
   * Most output one build log keeps (Heroku-like: a few MB); past it one truncation line is kept,
   * the rest discarded, the build stopped and failed.
   */
  @WithName("log-max-bytes")
  @WithDefault("8388608")
  long logMaxBytes();

  /** Most lines one build log keeps; a line costs a row however short it is. */
  @WithName("log-max-lines")
  @WithDefault("100000")
  int logMaxLines();

  /** Config vars every non-fork build gets in ENV_DIR (e.g. a Maven mirror). */
  @WithName("config-vars")
  Map<String, String> configVars();

  /** Which executor runs builds: {@code local} or {@code kubernetes}. */
  @WithDefault("local")
  String executor();

  /** The effective number of workers. */
  default int parallelism() {
    return workers() > 0 ? workers() : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Host paths buildpacks may read (bound read-only into the sandbox), e.g. a pre-populated {@code
   * ~/.m2/repository} named by {@code MAVEN_REPO_TAIL}; nothing else outside the workspace is
   * visible to them.
   */
  @WithName("sandbox.read-only")
  Optional<List<Path>> sandboxReadOnly();

  /**
   * What a build's sandboxed buildpacks may keep on disk (workspace and build cache together; their
   * {@code /tmp} is as big); above it the build is killed with a {@code killed: disk quota} line.
   */
  @WithName("sandbox.disk-mb")
  @WithDefault("10240")
  long sandboxDiskMegabytes();

  /** Optional override of where built-in buildpacks are extracted. */
  @WithName("buildpacks-dir")
  Optional<Path> buildpacksDir();

  /** The kubernetes executor's settings, read only when {@code executor=kubernetes}. */
  Kubernetes kubernetes();

  /** {@code slipway.builds.kubernetes.*}: see docs/kubernetes-builds.md. */
  interface Kubernetes {

    /** Where build Jobs run. */
    @WithDefault("slipway-builds")
    String namespace();

    /** A CNB builder image (with the lifecycle's phases in {@code /cnb/lifecycle}). */
    @WithName("builder-image")
    @WithDefault("paketobuildpacks/builder-jammy-base")
    String builderImage();

    /** Registry and path images are pushed under; required by the kubernetes executor. */
    @WithName("image-repository")
    Optional<String> imageRepository();

    /** A {@code kubernetes.io/dockerconfigjson} Secret in the namespace to push with. */
    @WithName("registry-secret")
    Optional<String> registrySecret();

    /** The image of the init container that fetches the source bundle. */
    @WithName("fetch-image")
    @WithDefault("curlimages/curl:8.11.1")
    String fetchImage();

    /** Where the fetch container downloads a bundle; {@code {digest}} is replaced. */
    @WithName("source-url")
    @WithDefault("http://build-service.slipway.svc:8081/source-bundles/{digest}")
    String sourceUrl();

    /** The Secret with the API token (role viewer) the fetch container authenticates with. */
    @WithName("fetch-token-secret")
    @WithDefault("slipway-build-fetch-token")
    String fetchTokenSecret();

    /** The token's key in that Secret. */
    @WithName("fetch-token-key")
    @WithDefault("token")
    String fetchTokenKey();

    /** The CNB Platform API version passed to the lifecycle. */
    @WithName("platform-api")
    @WithDefault("0.12")
    String platformApi();

    @WithName("cpu-request")
    @WithDefault("500m")
    String cpuRequest();

    @WithName("memory-request")
    @WithDefault("1Gi")
    String memoryRequest();

    /** No CPU limit by default: throttling a build only makes it slower. */
    @WithName("cpu-limit")
    Optional<String> cpuLimit();

    @WithName("memory-limit")
    @WithDefault("4Gi")
    String memoryLimit();

    /**
     * The build pod's disk quota: the {@code sizeLimit} of its workspace and layers volumes each,
     * past which the kubelet evicts the pod.
     */
    @WithName("disk-limit")
    @WithDefault("10Gi")
    String diskLimit();

    /** How long Kubernetes keeps a finished Job the service failed to delete. */
    @WithName("ttl-after-finished")
    @WithDefault("1h")
    Duration ttlAfterFinished();

    /** How often a running build's Job is read. */
    @WithName("poll-interval")
    @WithDefault("2s")
    Duration pollInterval();
  }
}

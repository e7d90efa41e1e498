package dev.slipway.build.executor.kubernetes;

import dev.slipway.apps.artifact.Digest;
import dev.slipway.build.executor.BuildJob;
import dev.slipway.kubernetes.workload.SourceFetch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The Job (and config-var Secret) that runs one build: names, labels and the locked-down pod. */
final class BuildJobTemplate {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String COMPONENT = "app.kubernetes.io/component";
  static final String PIPELINE_LABEL = "slipway.dev/pipeline";
  static final String BUILD_LABEL = "slipway.dev/build";

  static final String FETCH_CONTAINER = SourceFetch.CONTAINER;
  static final String ANALYZE_CONTAINER = "analyze";
  static final String DETECT_CONTAINER = "detect";
  static final String RESTORE_CONTAINER = "restore";
  static final String BUILD_CONTAINER = "build";
  static final String EXPORT_CONTAINER = "export";

  /**
   * The lifecycle's phases, one container each, in the order they run: all but the last are init
   * containers, the exporter is the pod's one container and reports the image's digest.
   */
  static final List<String> PHASES =
      List.of(
          ANALYZE_CONTAINER,
          DETECT_CONTAINER,
          RESTORE_CONTAINER,
          BUILD_CONTAINER,
          EXPORT_CONTAINER);

  /** The CNB user of the Paketo and Heroku builders: buildpacks must not run as root. */
  static final long CNB_USER = 1000L;

  static final String WORKSPACE = "/workspace";
  static final String LAYERS = "/layers";
  static final String PLATFORM = "/platform";
  static final String DOCKER_CONFIG = "/docker-config";
  static final String TERMINATION_LOG = "/dev/termination-log";
  static final String ANALYZED = LAYERS + "/analyzed.toml";
  static final String GROUP = LAYERS + "/group.toml";
  static final String PLAN = LAYERS + "/plan.toml";

  private static final Map<String, String> LIFECYCLE_BINARIES =
      Map.of(
          ANALYZE_CONTAINER, "analyzer",
          DETECT_CONTAINER, "detector",
          RESTORE_CONTAINER, "restorer",
          BUILD_CONTAINER, "builder",
          EXPORT_CONTAINER, "exporter");

  private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern NOT_HEX = Pattern.compile("[^0-9a-f]");

  private final KubernetesBuildSettings settings;
  private final BuildJob job;
  private final String name;
  private final String image;

  BuildJobTemplate(KubernetesBuildSettings settings, BuildJob job) {
    this.settings = settings;
    this.job = job;
    this.name = jobName(job);
    this.image = settings.imageRepository() + "/" + job.pipelineId() + ":" + job.buildId();
  }

  /**
   * {@code slipway-build-<8 of the build id>-<7 of the sha>}: 30 characters, DNS-1123, and unique
   * enough that two builds of one pipeline never share it.
   */
  static String jobName(BuildJob job) {
    String sha = NOT_HEX.matcher(job.commitSha().toLowerCase(Locale.ROOT)).replaceAll("");
    String shortSha = sha.substring(0, Math.min(7, sha.length()));
    String id = job.buildId().toString().substring(0, 8);
    return shortSha.isEmpty() ? "slipway-build-" + id : "slipway-build-" + id + "-" + shortSha;
  }

  String name() {
    return name;
  }

  /** The config-var Secret's name: only used when the build has config vars. */
  String secretName() {
    return name + "-env";
  }

  /** {@code <repository>/<pipeline id>:<build id>}: what the lifecycle pushes. */
  String image() {
    return image;
  }

  String cacheImage() {
    return settings.imageRepository() + "/" + job.pipelineId() + ":build-cache";
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, "slipway");
    labels.put(COMPONENT, "build");
    labels.put(PIPELINE_LABEL, job.pipelineId().toString());
    labels.put(BUILD_LABEL, job.buildId().toString());
    return labels;
  }

  /** Config vars CNB reads as files in {@code /platform/env}; keys that are no env name dropped. */
  Map<String, String> configVars() {
    Map<String, String> vars = new TreeMap<>();
    job.configVars()
        .forEach(
            (k, v) -> {
              if (CONFIG_KEY.matcher(k).matches() && v != null) {
                vars.put(k, v);
              }
            });
    return vars;
  }

  /** The Secret holding the config vars, so their values never appear in the Job's spec. */
  Secret secret() {
    Map<String, String> data = new TreeMap<>();
    configVars()
        .forEach(
            (k, v) ->
                data.put(
                    k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName())
        .withNamespace(settings.namespace())
        .withLabels(labels())
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withData(data)
        .build();
  }

  /**
   * The Job: one pod, never retried (a build is not idempotent for its user's eyes), killed by
   * Kubernetes at the build's deadline.
   */
  Job job(Duration timeLeft) {
    long deadlineSeconds = Math.max(1, (timeLeft.toMillis() + 999) / 1000);
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(settings.namespace())
        .withLabels(labels())
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadlineSeconds)
        .withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, ttlSeconds()))
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels())
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(CNB_USER)
        .withRunAsGroup(CNB_USER)
        .withFsGroup(CNB_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withInitContainers(
            fetchContainer(),
            analyzeContainer(),
            detectContainer(),
            restoreContainer(),
            builderContainer())
        .withContainers(exportContainer())
        .withVolumes(volumes())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private long ttlSeconds() {
    return settings.ttlAfterFinished().toSeconds();
  }

  private Container fetchContainer() {
    Digest digest = Digest.parse(job.sourceBundleDigest());
    String url =
        settings
            .sourceUrlTemplate()
            .replace(KubernetesBuildSettings.DIGEST_PLACEHOLDER, digest.toString());
    return SourceFetch.container(
        settings.fetchImage(),
        url,
        digest.hex(),
        settings.fetchTokenSecret(),
        settings.fetchTokenKey(),
        new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("50m"))
            .addToRequests("memory", new Quantity("64Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
            .build());
  }

  /**
   * Reads the previous image and checks registry access: the lifecycle requires write access to the
   * image and the cache image here, so this step holds the registry credentials. No user code.
   */
  private Container analyzeContainer() {
    return phase(
        ANALYZE_CONTAINER,
        List.of(
            "-layers=" + LAYERS, "-analyzed=" + ANALYZED, "-cache-image=" + cacheImage(), image),
        false);
  }

  /** Runs the buildpacks' detect scripts: user code, so no credential and no token. */
  private Container detectContainer() {
    return phase(
        DETECT_CONTAINER,
        List.of(
            "-app=" + WORKSPACE,
            "-layers=" + LAYERS,
            "-platform=" + PLATFORM,
            "-group=" + GROUP,
            "-plan=" + PLAN),
        true);
  }

  /**
   * Restores cached layers from the cache image, which takes registry read access. No user code.
   */
  private Container restoreContainer() {
    return phase(
        RESTORE_CONTAINER,
        List.of(
            "-layers=" + LAYERS,
            "-analyzed=" + ANALYZED,
            "-group=" + GROUP,
            "-cache-image=" + cacheImage()),
        false);
  }

  /** Runs the buildpacks' build scripts: user code, so no credential and no token. */
  private Container builderContainer() {
    return phase(
        BUILD_CONTAINER,
        List.of(
            "-app=" + WORKSPACE,
            "-layers=" + LAYERS,
            "-platform=" + PLATFORM,
            "-group=" + GROUP,
            "-plan=" + PLAN),
        true);
  }

  /**
   * Pushes the image and the cache and writes report.toml, with the digest, as the termination
   * message. Runs no user code, so it may hold the push credentials.
   */
  private Container exportContainer() {
    Container export =
        phase(
            EXPORT_CONTAINER,
            List.of(
                "-app=" + WORKSPACE,
                "-layers=" + LAYERS,
                "-analyzed=" + ANALYZED,
                "-group=" + GROUP,
                "-cache-image=" + cacheImage(),
                "-report=" + TERMINATION_LOG,
                image),
            false);
    export.setTerminationMessagePath(TERMINATION_LOG);
    export.setTerminationMessagePolicy("File");
    return export;
  }

  /**
   * One lifecycle phase. A phase that runs buildpacks ({@code userCode}) gets the app, the platform
   * directory and the config vars, and never the registry credentials; the phases that run no user
   * code are the ones that talk to the registry, and only they mount the credentials.
   */
  private Container phase(String name, List<String> args, boolean userCode) {
    List<EnvVar> env = new ArrayList<>();
    env.add(env("CNB_PLATFORM_API", settings.platformApi()));
    env.add(env("CNB_NO_COLOR", "true"));
    // The lifecycle dates the image (and its layers) by this instead of the clock.
    env.add(env("SOURCE_DATE_EPOCH", Long.toString(job.sourceDate().getEpochSecond())));
    List<VolumeMount> mounts = new ArrayList<>();
    if (userCode || EXPORT_CONTAINER.equals(name)) {
      mounts.add(mount("workspace", WORKSPACE, false));
    }
    mounts.add(mount("layers", LAYERS, false));
    if (userCode) {
      mounts.add(mount("platform", PLATFORM, false));
      if (!configVars().isEmpty()) {
        mounts.add(mount("config-vars", PLATFORM + "/env", true));
      }
    }
    if (!userCode && settings.registrySecret() != null) {
      env.add(env("DOCKER_CONFIG", DOCKER_CONFIG));
      mounts.add(mount("registry-auth", DOCKER_CONFIG, true));
    }
    return new ContainerBuilder()
        .withName(name)
        .withImage(settings.builderImage())
        .withCommand("/cnb/lifecycle/" + LIFECYCLE_BINARIES.get(name))
        .withArgs(args)
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withResources(buildResources())
        // The lifecycle and buildpacks write to the builder image's own tree (HOME, /tmp).
        .withSecurityContext(SourceFetch.lockedDown(false))
        .build();
  }

  private ResourceRequirements buildResources() {
    KubernetesBuildSettings.Resources r = settings.resources();
    ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
    if (r.cpuRequest() != null) {
      b.addToRequests("cpu", new Quantity(r.cpuRequest()));
    }
    if (r.memoryRequest() != null) {
      b.addToRequests("memory", new Quantity(r.memoryRequest()));
    }
    if (r.cpuLimit() != null) {
      b.addToLimits("cpu", new Quantity(r.cpuLimit()));
    }
    if (r.memoryLimit() != null) {
      b.addToLimits("memory", new Quantity(r.memoryLimit()));
    }
    return b.build();
  }

  private List<Volume> volumes() {
    List<Volume> volumes = new ArrayList<>();
    // The volumes buildpacks write to are the build's disk quota: past it the kubelet evicts.
    volumes.add(emptyDir("workspace", settings.resources().diskLimit()));
    volumes.add(emptyDir("layers", settings.resources().diskLimit()));
    volumes.add(emptyDir("platform", null));
    volumes.add(emptyDir("fetch-tmp", null));
    if (!configVars().isEmpty()) {
      volumes.add(
          new VolumeBuilder()
              .withName("config-vars")
              .withNewSecret()
              .withSecretName(secretName())
              .withDefaultMode(0440)
              .endSecret()
              .build());
    }
    if (settings.registrySecret() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("registry-auth")
              .withNewSecret()
              .withSecretName(settings.registrySecret())
              .withItems(new KeyToPath(".dockerconfigjson", null, "config.json"))
              .withDefaultMode(0440)
              .endSecret()
              .build());
    }
    return volumes;
  }

  private static Volume emptyDir(String name, String sizeLimit) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withSizeLimit(sizeLimit == null ? null : new Quantity(sizeLimit))
        .endEmptyDir()
        .build();
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
}

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
  static final String BUILD_CONTAINER = "build";

  /** The CNB user of the Paketo and Heroku builders: buildpacks must not run as root. */
  static final long CNB_USER = 1000L;

  static final String WORKSPACE = "/workspace";
  static final String LAYERS = "/layers";
  static final String PLATFORM = "/platform";
  static final String DOCKER_CONFIG = "/docker-config";
  static final String TERMINATION_LOG = "/dev/termination-log";

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
        .withInitContainers(fetchContainer())
        .withContainers(buildContainer())
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

  private Container buildContainer() {
    List<String> args = new ArrayList<>();
    args.add("-app=" + WORKSPACE);
    args.add("-layers=" + LAYERS);
    args.add("-platform=" + PLATFORM);
    args.add("-report=" + TERMINATION_LOG);
    args.add("-cache-image=" + cacheImage());
    args.add(image);
    List<EnvVar> env = new ArrayList<>();
    env.add(env("CNB_PLATFORM_API", settings.platformApi()));
    env.add(env("CNB_NO_COLOR", "true"));
    // The lifecycle dates the image (and its layers) by this instead of the clock.
    env.add(env("SOURCE_DATE_EPOCH", Long.toString(job.sourceDate().getEpochSecond())));
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("workspace", WORKSPACE, false));
    mounts.add(mount("layers", LAYERS, false));
    mounts.add(mount("platform", PLATFORM, false));
    if (!configVars().isEmpty()) {
      mounts.add(mount("config-vars", PLATFORM + "/env", true));
    }
    if (settings.registrySecret() != null) {
      env.add(env("DOCKER_CONFIG", DOCKER_CONFIG));
      mounts.add(mount("registry-auth", DOCKER_CONFIG, true));
    }
    return new ContainerBuilder()
        .withName(BUILD_CONTAINER)
        .withImage(settings.builderImage())
        .withCommand("/cnb/lifecycle/creator")
        .withArgs(args)
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withResources(buildResources())
        // The lifecycle and buildpacks write to the builder image's own tree (HOME, /tmp).
        .withSecurityContext(SourceFetch.lockedDown(false))
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
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
    volumes.add(emptyDir("workspace"));
    volumes.add(emptyDir("layers"));
    volumes.add(emptyDir("platform"));
    volumes.add(emptyDir("fetch-tmp"));
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
}

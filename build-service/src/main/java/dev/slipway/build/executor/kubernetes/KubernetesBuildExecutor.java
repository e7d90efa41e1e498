package dev.slipway.build.executor.kubernetes;

import static dev.slipway.build.executor.kubernetes.BuildJobTemplate.BUILD_LABEL;
import static dev.slipway.build.executor.kubernetes.BuildJobTemplate.EXPORT_CONTAINER;
import static dev.slipway.build.executor.kubernetes.BuildJobTemplate.FETCH_CONTAINER;
import static dev.slipway.build.executor.kubernetes.BuildJobTemplate.MANAGED_BY;
import static dev.slipway.build.executor.kubernetes.BuildJobTemplate.PHASES;
import static dev.slipway.kubernetes.job.JobStates.FAILED;
import static dev.slipway.kubernetes.job.JobStates.condition;
import static dev.slipway.kubernetes.job.JobStates.containerStatuses;
import static dev.slipway.kubernetes.job.JobStates.exitCode;
import static dev.slipway.kubernetes.job.JobStates.state;
import static dev.slipway.kubernetes.job.JobStates.terminated;
import static dev.slipway.kubernetes.job.KubernetesErrors.describe;
import static dev.slipway.kubernetes.job.KubernetesErrors.quietly;

import dev.slipway.apps.manifest.AppManifest;
import dev.slipway.apps.manifest.ManifestException;
import dev.slipway.build.executor.BuildExecutor;
import dev.slipway.build.executor.BuildFailure;
import dev.slipway.build.executor.BuildFailure.Kind;
import dev.slipway.build.executor.BuildJob;
import dev.slipway.build.executor.BuildLog;
import dev.slipway.build.executor.BuildProduct;
import dev.slipway.kubernetes.job.JobWatch;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The Kubernetes build executor: one Job per build, whose first init container fetches the source
 * bundle by digest and whose next ones run the Cloud Native Buildpacks lifecycle phase by phase, so
 * that the containers running buildpacks hold no registry credential; the last phase, the exporter,
 * pushes an OCI image and reports its digest through the termination message.
 *
 * <p>Over 500 lines because the Job's six lifecycle containers are declared one by one, each with
 * exactly the mounts and credentials it may have.
 */
public final class KubernetesBuildExecutor implements BuildExecutor {

  /** The stack builds report: whatever run image the builder chose. */
  public static final String STACK = "cnb";

  private static final Logger LOG = Logger.getLogger(KubernetesBuildExecutor.class);

  /** Waiting reasons every pod passes through; anything else is worth telling the user. */
  private static final Set<String> ROUTINE_WAITS = Set.of("ContainerCreating", "PodInitializing");

  private final KubernetesClient client;
  private final KubernetesBuildSettings settings;
  private final Clock clock;

  public KubernetesBuildExecutor(KubernetesClient client, KubernetesBuildSettings settings) {
    this(client, settings, Clock.systemUTC());
  }

  KubernetesBuildExecutor(KubernetesClient client, KubernetesBuildSettings settings, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public BuildProduct build(BuildJob job, BuildLog buildLog) throws BuildFailure {
    if (job.cancellation().isCancelled()) {
      throw cancelled();
    }
    Map<String, String> processTypes = procfile(job);
    Duration left = Duration.between(clock.instant(), job.deadline());
    if (left.isNegative() || left.isZero()) {
      throw timedOut();
    }
    BuildJobTemplate template = new BuildJobTemplate(settings, job);
    Job spec;
    try {
      spec = template.job(left);
    } catch (IllegalArgumentException e) {
      throw new BuildFailure(Kind.ERRORED, "source bundle: " + e.getMessage());
    }
    PodLogFollower log = new PodLogFollower(buildLog);
    JobWatch watch = new JobWatch(client, settings.namespace(), settings.pollInterval(), clock);
    Runnable wake = watch::wake;
    job.cancellation().onCancel(wake);
    Created created = new Created();
    try {
      log.line("-----> Building " + template.image() + " with Cloud Native Buildpacks");
      log.line(
          "       Job "
              + settings.namespace()
              + "/"
              + template.name()
              + ", builder "
              + settings.builderImage());
      create(template, spec, created);
      Job ended;
      try {
        ended = awaitEnd(template, job, watch, log);
      } catch (BuildFailure e) {
        finishLogs(findPod(job), log);
        throw e;
      }
      Pod pod = findPod(job);
      finishLogs(pod, log);
      return outcome(ended, pod, template, processTypes, log);
    } finally {
      job.cancellation().forget(wake);
      log.stop();
      delete(template, job, created);
    }
  }

  /** What this build put in the cluster, so cleanup never touches another build's objects. */
  private static final class Created {
    boolean secret;
    boolean job;
  }

  /**
   * Process types come from the Procfile, as with Heroku: report.toml does not carry them. Read
   * before the Job exists, so a malformed Procfile fails the build at once, as it does locally.
   */
  private static Map<String, String> procfile(BuildJob job) throws BuildFailure {
    if (job.sourceDir() == null) {
      return Map.of();
    }
    try {
      return AppManifest.read(job.sourceDir()).procfile().processTypes();
    } catch (ManifestException e) {
      throw new BuildFailure(Kind.FAILED, e.getMessage());
    } catch (UncheckedIOException e) {
      throw new BuildFailure(Kind.ERRORED, "could not read the app's manifest: " + e.getMessage());
    }
  }

  private void create(BuildJobTemplate template, Job spec, Created created) throws BuildFailure {
    String id = spec.getMetadata().getLabels().get(BUILD_LABEL);
    try {
      if (!template.configVars().isEmpty()) {
        Secret secret = template.secret();
        replaceLeftover(secrets(), secret.getMetadata().getName(), id);
        secrets().resource(secret).create();
        created.secret = true;
      }
      replaceLeftover(jobs(), template.name(), id);
      Job job = jobs().resource(spec).create();
      created.job = true;
      if (created.secret) {
        ownSecret(template, job);
      }
    } catch (KubernetesClientException e) {
      throw new BuildFailure(Kind.ERRORED, "could not create the build job: " + describe(e));
    }
  }

  /**
   * A restarted build finds the objects its previous attempt left; anything of that name belonging
   * to another build is not ours to delete.
   */
  private static <T extends HasMetadata> void replaceLeftover(
      NonNamespaceOperation<T, ?, ? extends Resource<T>> kind, String name, String buildId)
      throws BuildFailure {
    T existing = kind.withName(name).get();
    if (existing == null) {
      return;
    }
    Map<String, String> labels = existing.getMetadata().getLabels();
    if (labels == null || !buildId.equals(labels.get(BUILD_LABEL))) {
      throw new BuildFailure(
          Kind.ERRORED, name + " already exists in the build namespace for another build");
    }
    kind.withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }

  /** Makes the Job own the config-var Secret, so Kubernetes deletes both if Slipway cannot. */
  private void ownSecret(BuildJobTemplate template, Job job) {
    try {
      secrets()
          .withName(template.secretName())
          .edit(
              s ->
                  new SecretBuilder(s)
                      .editMetadata()
                      .withOwnerReferences(
                          new OwnerReferenceBuilder()
                              .withApiVersion("batch/v1")
                              .withKind("Job")
                              .withName(job.getMetadata().getName())
                              .withUid(job.getMetadata().getUid())
                              .build())
                      .endMetadata()
                      .build());
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not make job %s own secret %s: %s",
          template.name(), template.secretName(), describe(e));
    }
  }

  private Job awaitEnd(BuildJobTemplate template, BuildJob job, JobWatch watch, PodLogFollower log)
      throws BuildFailure {
    Set<String> told = new HashSet<>();
    Map<String, Job> ended =
        watch.awaitEnd(
            List.of(template.name()),
            job.deadline(),
            new JobWatch.Listener() {
              @Override
              public boolean stopped() {
                return job.cancellation().isCancelled();
              }

              @Override
              public void running(String name, Job current) {
                Pod pod = findPod(job);
                if (pod != null) {
                  tellWhyWaiting(pod, told, log);
                  followLogs(pod, log);
                }
              }
            });
    if (!ended.containsKey(template.name())) {
      if (job.cancellation().isCancelled()) {
        throw cancelled();
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new BuildFailure(Kind.ERRORED, "interrupted");
      }
      throw timedOut();
    }
    Job current = ended.get(template.name());
    if (current == null) {
      throw new BuildFailure(Kind.ERRORED, "the build job was deleted before it finished");
    }
    return current;
  }

  /**
   * Copies the output of the phases that ended and follows the one that runs: phases run one after
   * the other, so their output reaches the build log in order.
   */
  private void followLogs(Pod pod, PodLogFollower log) {
    PodResource resource = podResource(pod);
    for (String phase : PHASES) {
      ContainerState state = state(pod, phase);
      if (state == null) {
        return;
      }
      if (state.getTerminated() != null) {
        log.finish(resource, phase);
      } else {
        if (state.getRunning() != null) {
          log.follow(resource, phase);
        }
        return;
      }
    }
  }

  /** Reads the rest of every phase that started, in order; a phase that never ran has no log. */
  private void finishLogs(Pod pod, PodLogFollower log) {
    PodResource resource = podResource(pod);
    for (String phase : PHASES) {
      ContainerState state = pod == null ? null : state(pod, phase);
      if (state != null && (state.getRunning() != null || state.getTerminated() != null)) {
        log.finish(resource, phase);
      }
    }
  }

  /** Says once why the pod is stuck, if it is (an image that cannot be pulled, no node fits). */
  private static void tellWhyWaiting(Pod pod, Set<String> told, PodLogFollower log) {
    if (pod.getStatus() == null) {
      return;
    }
    for (PodCondition c : orEmpty(pod.getStatus().getConditions())) {
      if ("PodScheduled".equals(c.getType())
          && "False".equals(c.getStatus())
          && c.getReason() != null
          && told.add("scheduling:" + c.getReason())) {
        log.line("-----> Build pod not scheduled yet: " + c.getReason() + message(c.getMessage()));
      }
    }
    for (ContainerStatus s : containerStatuses(pod)) {
      ContainerStateWaiting waiting = s.getState() == null ? null : s.getState().getWaiting();
      if (waiting != null
          && waiting.getReason() != null
          && !ROUTINE_WAITS.contains(waiting.getReason())
          && told.add(s.getName() + ":" + waiting.getReason())) {
        log.line(
            "-----> Build pod waiting ("
                + s.getName()
                + "): "
                + waiting.getReason()
                + message(waiting.getMessage()));
      }
    }
  }

  private BuildProduct outcome(
      Job ended,
      Pod pod,
      BuildJobTemplate template,
      Map<String, String> processTypes,
      PodLogFollower log)
      throws BuildFailure {
    if (condition(ended, FAILED) != null) {
      throw failure(ended, pod, log);
    }
    ContainerStateTerminated done = terminated(pod, EXPORT_CONTAINER);
    LifecycleReport report = LifecycleReport.parse(done == null ? null : done.getMessage());
    if (report.digest() == null) {
      throw new BuildFailure(
          Kind.ERRORED, "the build finished but the lifecycle reported no image digest");
    }
    String reference = template.image() + "@" + report.digest();
    log.line("-----> Pushed " + reference);
    log.line(
        "       Procfile declares types -> "
            + (processTypes.isEmpty() ? "(none)" : String.join(", ", processTypes.keySet())));
    List<String> buildpacks = report.buildpacks().isEmpty() ? List.of(STACK) : report.buildpacks();
    return new BuildProduct(null, reference, report.digest(), processTypes, STACK, buildpacks);
  }

  /** Whose fault a failed Job is: the timeout and the platform's own steps are Slipway's. */
  private static BuildFailure failure(Job ended, Pod pod, PodLogFollower log) {
    JobCondition failed = condition(ended, FAILED);
    if ("DeadlineExceeded".equals(failed.getReason())) {
      return timedOut();
    }
    ContainerStateTerminated fetch = terminated(pod, FETCH_CONTAINER);
    if (fetch != null && exitCode(fetch) != 0) {
      if (fetch.getMessage() != null) {
        fetch.getMessage().lines().forEach(l -> log.line("       " + l));
      }
      return new BuildFailure(
          Kind.ERRORED, "could not fetch the source bundle (exit " + exitCode(fetch) + ")");
    }
    if (pod != null && pod.getStatus() != null && "Evicted".equals(pod.getStatus().getReason())) {
      return evicted(pod.getStatus().getMessage());
    }
    ContainerStateTerminated last = null;
    for (String phase : PHASES) {
      ContainerStateTerminated step = terminated(pod, phase);
      if (step == null) {
        break;
      }
      last = step;
      if (exitCode(step) != 0) {
        break;
      }
    }
    if (last == null) {
      String reason = failed.getReason() == null ? "" : " (" + failed.getReason() + ")";
      return new BuildFailure(Kind.ERRORED, "the build pod never started" + reason);
    }
    return lifecycleFailure(last);
  }

  /**
   * An evicted pod: the build's own fault when it wrote past its disk quota (the kubelet names the
   * volume over its {@code sizeLimit}), else the node's (memory or disk pressure).
   */
  static BuildFailure evicted(String message) {
    String why = message == null || message.isBlank() ? "" : ": " + message.strip();
    if (message != null && message.contains("EmptyDir") && message.contains("exceeds the limit")) {
      return new BuildFailure(Kind.FAILED, "the build wrote more than its disk quota" + why);
    }
    return new BuildFailure(Kind.ERRORED, "the build pod was evicted" + why);
  }

  /**
   * The phases' exit codes say which phase failed: each has its own range (CNB Platform API exit
   * codes), the same as the creator's.
   */
  static BuildFailure lifecycleFailure(ContainerStateTerminated build) {
    int code = exitCode(build);
    String exit = " (lifecycle exit " + code + ")";
    if ("OOMKilled".equals(build.getReason())) {
      return new BuildFailure(Kind.FAILED, "the build ran out of memory");
    }
    if (code >= 20 && code <= 29) {
      return new BuildFailure(Kind.FAILED, "no buildpack detected this app" + exit);
    }
    if (code >= 50 && code <= 59) {
      return new BuildFailure(Kind.FAILED, "a buildpack failed to build this app" + exit);
    }
    if (code == 11 || code == 12) {
      return new BuildFailure(
          Kind.ERRORED, "the builder image does not support the configured API" + exit);
    }
    if (code >= 30 && code <= 49) {
      return new BuildFailure(
          Kind.ERRORED, "could not read the previous image or build cache" + exit);
    }
    if (code >= 60 && code <= 69) {
      return new BuildFailure(Kind.ERRORED, "could not push the image" + exit);
    }
    return new BuildFailure(Kind.FAILED, "the build failed" + exit);
  }

  private void delete(BuildJobTemplate template, BuildJob job, Created created) {
    if (created.job) {
      quietly(
          "job " + template.name(),
          () ->
              jobs()
                  .withName(template.name())
                  .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                  .delete());
    }
    // Background propagation leaves pods to the garbage collector; deleting them now frees the
    // node at once and also covers pods whose Job is already gone.
    quietly(
        "pods of build " + job.buildId(),
        () ->
            pods()
                .withLabel(MANAGED_BY, "slipway")
                .withLabel(BUILD_LABEL, job.buildId().toString())
                .delete());
    if (created.secret) {
      quietly(
          "secret " + template.secretName(),
          () -> secrets().withName(template.secretName()).delete());
    }
  }

  private Pod findPod(BuildJob job) {
    try {
      List<Pod> pods =
          pods()
              .withLabel(MANAGED_BY, "slipway")
              .withLabel(BUILD_LABEL, job.buildId().toString())
              .list()
              .getItems();
      Pod found = null;
      for (Pod pod : pods) {
        if (found == null || terminated(pod, EXPORT_CONTAINER) != null) {
          found = pod;
        }
      }
      return found;
    } catch (KubernetesClientException e) {
      LOG.debugf("build %s: listing pods failed: %s", job.buildId(), describe(e));
      return null;
    }
  }

  private PodResource podResource(Pod pod) {
    return pod == null ? null : pods().withName(pod.getMetadata().getName());
  }

  private NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
    return client.batch().v1().jobs().inNamespace(settings.namespace());
  }

  private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
    return client.pods().inNamespace(settings.namespace());
  }

  private NonNamespaceOperation<Secret, SecretList, Resource<Secret>> secrets() {
    return client.secrets().inNamespace(settings.namespace());
  }

  private static String message(String text) {
    return text == null || text.isBlank() ? "" : ": " + text.strip();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static BuildFailure cancelled() {
    return new BuildFailure(Kind.CANCELLED, "cancelled");
  }

  private static BuildFailure timedOut() {
    return new BuildFailure(Kind.ERRORED, "build exceeded its timeout");
  }
}

package dev.slipway.deploy.runtime.kubernetes;

import dev.slipway.deploy.runtime.AppRuntime.OneOffResult;
import dev.slipway.deploy.runtime.AppRuntime.OutputSink;
import dev.slipway.kubernetes.job.JobStates;
import dev.slipway.kubernetes.job.JobWatch;
import dev.slipway.kubernetes.job.KubernetesErrors;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One-off commands (release phase, postdeploy, pr-predestroy) as Jobs: one pod, no retry, killed at
 * the timeout, its config vars in a Secret the Job owns; both are deleted once it ended, so nothing
 * of a one-off stays in the namespace.
 */
public final class OneOffJobs {

  private static final Logger LOG = Logger.getLogger(OneOffJobs.class);
  public static final String ONE_OFF_LABEL = "slipway.dev/one-off";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KubernetesClient client;
  private final AppWorkloads workloads;
  private final Duration pollInterval;

  public OneOffJobs(KubernetesClient client, AppWorkloads workloads, Duration pollInterval) {
    this.client = Objects.requireNonNull(client, "client");
    this.workloads = Objects.requireNonNull(workloads, "workloads");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /** Runs {@code command} from {@code image} in {@code namespace} and waits for its end. */
  public OneOffResult run(
      String namespace,
      String app,
      int version,
      String image,
      Map<String, String> config,
      String command,
      Duration timeout,
      OutputSink output) {
    long started = System.nanoTime();
    String name = "run-v" + version + "-" + HexFormat.of().formatHex(randomBytes());
    Map<String, String> labels = new LinkedHashMap<>(AppWorkloads.labels(app));
    labels.put(ONE_OFF_LABEL, name);
    labels.put(AppWorkloads.RELEASE_LABEL, Integer.toString(version));
    PodSpec pod =
        workloads.podSpec(
            workloads
                .container(
                    "run",
                    image,
                    command,
                    name + "-env",
                    AppWorkloads.environment("run.1", version))
                .build(),
            false);
    pod.setRestartPolicy("Never");
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(0)
            .withActiveDeadlineSeconds(Math.max(1, timeout.toSeconds()))
            // Should Slipway die before it deletes the Job, Kubernetes cleans up after a day.
            .withTtlSecondsAfterFinished(86_400)
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withSpec(pod)
            .endTemplate()
            .endSpec()
            .build();
    Job created = client.resource(job).create();
    try {
      client.resource(secret(created, labels, config)).create();
      Outcome outcome = await(namespace, name, timeout.plus(pollInterval.multipliedBy(10)));
      if (outcome.timedOut() && Thread.currentThread().isInterrupted()) {
        return new OneOffResult(130, false, Duration.ofNanos(System.nanoTime() - started));
      }
      copyLog(namespace, name, output);
      if (outcome.timedOut()) {
        safely(output, "slipway: " + name + " was stopped at its timeout");
      }
      return new OneOffResult(
          outcome.exitCode(), outcome.timedOut(), Duration.ofNanos(System.nanoTime() - started));
    } finally {
      delete(namespace, name);
    }
  }

  private Secret secret(Job owner, Map<String, String> labels, Map<String, String> config) {
    Map<String, String> data = new TreeMap<>();
    config.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(owner.getMetadata().getName() + "-env")
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        // Garbage collected with the Job even if Slipway never gets to delete it.
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .build())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private record Outcome(int exitCode, boolean timedOut) {}

  private Outcome await(String namespace, String name, Duration bound) {
    Clock clock = Clock.systemUTC();
    Map<String, Job> ended =
        new JobWatch(client, namespace, pollInterval, clock)
            .awaitEnd(
                List.of(name),
                clock.instant().plus(bound),
                new JobWatch.Listener() {
                  @Override
                  public boolean stopped() {
                    return false;
                  }

                  @Override
                  public void readFailed(String job, KubernetesClientException e) {
                    // A one-off fails at once when the API server does not answer.
                    throw e;
                  }
                });
    if (!ended.containsKey(name)) {
      return new Outcome(1, true);
    }
    Job job = ended.get(name);
    if (job == null) {
      return new Outcome(1, false);
    }
    var failed = JobStates.condition(job, JobStates.FAILED);
    if (failed == null) {
      return new Outcome(0, false);
    }
    boolean deadlineHit = "DeadlineExceeded".equals(failed.getReason());
    return new Outcome(exitCode(namespace, name).orElse(1), deadlineHit);
  }

  private Optional<Integer> exitCode(String namespace, String job) {
    for (Pod pod : jobPods(namespace, job)) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
        if (c.getState() != null && c.getState().getTerminated() != null) {
          return Optional.ofNullable(c.getState().getTerminated().getExitCode());
        }
      }
    }
    return Optional.empty();
  }

  private List<Pod> jobPods(String namespace, String job) {
    return client.pods().inNamespace(namespace).withLabel(ONE_OFF_LABEL, job).list().getItems();
  }

  private void copyLog(String namespace, String job, OutputSink output) {
    for (Pod pod : jobPods(namespace, job)) {
      try {
        String log =
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog();
        if (log != null && !log.isEmpty()) {
          log.lines().forEach(line -> safely(output, line));
        }
      } catch (KubernetesClientException e) {
        // The output is a convenience; the exit code decides.
        LOG.debugf("no log of %s/%s: %s", namespace, pod.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private void delete(String namespace, String name) {
    // The Job's TTL and owner reference clean up what is left.
    KubernetesErrors.quietly(
        "one-off " + namespace + "/" + name,
        () -> {
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withName(name)
              .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
              .delete();
          client.secrets().inNamespace(namespace).withName(name + "-env").delete();
        });
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void safely(OutputSink sink, String line) {
    try {
      sink.line(line);
    } catch (RuntimeException e) {
      // A broken output sink must not break the one-off.
    }
  }
}

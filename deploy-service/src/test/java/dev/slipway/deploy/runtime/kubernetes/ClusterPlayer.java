package dev.slipway.deploy.runtime.kubernetes;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Plays the Deployment and Job controllers against the CRUD mock API server. */
final class ClusterPlayer {

  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final KubernetesClient client;

  ClusterPlayer(KubernetesClient client) {
    this.client = client;
  }

  /** Waits until Deployment {@code name} runs {@code version} in its pod template. */
  Deployment awaitDeployment(String namespace, String name, int version) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> client.apps().deployments().inNamespace(namespace).withName(name).get(),
            d ->
                d != null
                    && Integer.toString(version)
                        .equals(
                            d.getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getLabels()
                                .get(AppWorkloads.RELEASE_LABEL)));
  }

  /** Waits for each Deployment to run {@code version}, then rolls it out. */
  void rollOut(String namespace, int version, String... names) {
    for (String name : names) {
      awaitDeployment(namespace, name, version);
      rolledOut(namespace, name);
    }
  }

  /** The Deployment controller's verdict: every replica updated and available. */
  void rolledOut(String namespace, String name) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            d -> {
              int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
              return new DeploymentBuilder(d)
                  .withNewStatus()
                  .withObservedGeneration(generation(d))
                  .withReplicas(replicas)
                  .withUpdatedReplicas(replicas)
                  .withReadyReplicas(replicas)
                  .withAvailableReplicas(replicas)
                  .endStatus()
                  .build();
            });
  }

  /** The Deployment controller gave up: the new pods never got ready within the deadline. */
  void deadlineExceeded(String namespace, String name) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            d ->
                new DeploymentBuilder(d)
                    .withNewStatus()
                    .withObservedGeneration(generation(d))
                    .withReplicas(2)
                    .withUpdatedReplicas(1)
                    .withAvailableReplicas(1)
                    .addNewCondition()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .withMessage("ReplicaSet \"" + name + "-7d9\" has timed out progressing.")
                    .endCondition()
                    .endStatus()
                    .build());
  }

  /** Waits for a one-off Job of {@code app} and returns it. */
  Job awaitJob(String namespace) {
    return await()
        .atMost(PATIENCE)
        .until(
            () ->
                client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                    .findFirst()
                    .orElse(null),
            Objects::nonNull);
  }

  /** The Job controller's verdict. */
  void finishJob(String namespace, String name, String type, String reason) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(name)
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

  private static long generation(Deployment d) {
    return Optional.ofNullable(d.getMetadata().getGeneration()).orElse(1L);
  }
}

package dev.slipway.build.executor.kubernetes;

import dev.slipway.build.executor.BuildExecutor;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Makes the Kubernetes executor from the client Quarkus configured, so wiring outside this package
 * never names Fabric8; the client is only resolved when this executor is chosen.
 */
@ApplicationScoped
public class KubernetesBuildExecutorFactory {

  private final Instance<KubernetesClient> client;

  public KubernetesBuildExecutorFactory(Instance<KubernetesClient> client) {
    this.client = client;
  }

  public BuildExecutor create(KubernetesBuildSettings settings) {
    return new KubernetesBuildExecutor(client.get(), settings);
  }
}

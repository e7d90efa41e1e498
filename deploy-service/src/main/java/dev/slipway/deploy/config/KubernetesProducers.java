package dev.slipway.deploy.config;

import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Kubernetes client and settings of the Kubernetes runtime and the ReviewApp operator; made
 * only when one of them is used, so local mode never needs a cluster.
 */
@ApplicationScoped
public class KubernetesProducers {

  /** Reads ~/.kube/config or, in a pod, its service account. */
  @Produces
  @Singleton
  KubernetesClient kubernetesClient() {
    return new KubernetesClientBuilder().build();
  }

  void close(@Disposes KubernetesClient client) {
    client.close();
  }

  @Produces
  @Singleton
  KubernetesRuntimeSettings kubernetesRuntimeSettings(KubernetesRuntimeConfig config) {
    return config.settings();
  }

  @Produces
  @Singleton
  EphemeralNamespaces ephemeralNamespaces(KubernetesClient client, KubernetesRuntimeConfig config) {
    return new EphemeralNamespaces(client, config.isolationPolicy());
  }
}

package dev.slipway.deploy.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Lets tests of other packages play the Deployment controller. */
public final class ClusterPlayerAccess {

  private ClusterPlayerAccess() {}

  public static Deployment awaitDeployment(
      KubernetesClient client, String namespace, String name, int version) {
    return new ClusterPlayer(client).awaitDeployment(namespace, name, version);
  }

  public static void rolledOut(KubernetesClient client, String namespace, String name) {
    new ClusterPlayer(client).rolledOut(namespace, name);
  }
}

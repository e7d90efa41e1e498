package dev.slipway.deploy.reviewapps.operator;

import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the ReviewApp operator inside the deploy-service when {@code
 * slipway.review-app-operator.enabled}; off by default, because local mode has no cluster.
 */
@ApplicationScoped
public class ReviewAppOperator {

  private final boolean enabled;
  private final ReviewAppOperatorSettings settings;
  private final Instance<KubernetesClient> clients;
  private final Instance<EphemeralNamespaces> namespaces;
  private final Instance<KubernetesRuntimeSettings> runtimeSettings;
  private final MeterRegistry registry;
  private volatile ReviewAppController controller;

  public ReviewAppOperator(
      @ConfigProperty(name = "slipway.review-app-operator.enabled", defaultValue = "false")
          boolean enabled,
      @ConfigProperty(name = "slipway.review-app-operator.resync", defaultValue = "1m")
          Duration resync,
      @ConfigProperty(name = "slipway.review-app-operator.terminating-after", defaultValue = "10m")
          Duration terminatingAfter,
      @ConfigProperty(name = "slipway.review-apps.script-timeout", defaultValue = "30m")
          Duration predestroyTimeout,
      Instance<KubernetesClient> clients,
      Instance<EphemeralNamespaces> namespaces,
      Instance<KubernetesRuntimeSettings> runtimeSettings,
      MeterRegistry registry) {
    this.enabled = enabled;
    this.settings = new ReviewAppOperatorSettings(resync, terminatingAfter, predestroyTimeout);
    this.clients = clients;
    this.namespaces = namespaces;
    this.runtimeSettings = runtimeSettings;
    this.registry = registry;
  }

  void start(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    controller =
        new ReviewAppController(
            clients.get(),
            namespaces.get(),
            runtimeSettings.get(),
            settings,
            registry,
            Clock.systemUTC());
    controller.start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (controller != null) {
      controller.close();
    }
  }
}

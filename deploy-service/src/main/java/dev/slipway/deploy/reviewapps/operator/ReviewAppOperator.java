package dev.slipway.deploy.reviewapps.operator;

import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.kubernetes.leader.Leadership;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.platform.leader.LeaderElection;
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
 * slipway.review-app-operator.enabled}, on the replica leading job {@code review-app-operator}; off
 * by default, because local mode has no cluster.
 */
@ApplicationScoped
public class ReviewAppOperator {

  static final String JOB = "review-app-operator";

  private final boolean enabled;
  private final ReviewAppOperatorSettings settings;
  private final Instance<KubernetesClient> clients;
  private final Instance<EphemeralNamespaces> namespaces;
  private final Instance<KubernetesRuntimeSettings> runtimeSettings;
  private final MeterRegistry registry;
  private final Instance<LeaderElection> election;
  private volatile ReviewAppController controller;
  private volatile Leadership leadership;

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
      MeterRegistry registry,
      Instance<LeaderElection> election) {
    this.enabled = enabled;
    this.settings = new ReviewAppOperatorSettings(resync, terminatingAfter, predestroyTimeout);
    this.clients = clients;
    this.namespaces = namespaces;
    this.runtimeSettings = runtimeSettings;
    this.registry = registry;
    this.election = election;
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
    // Started on each gain of leadership, closed on each loss: one replica reconciles at a time.
    leadership = election.get().contend(JOB, controller::start, controller::close);
  }

  void stop(@Observes ShutdownEvent event) {
    if (leadership != null) {
      leadership.close();
    }
    if (controller != null) {
      controller.close();
    }
  }
}

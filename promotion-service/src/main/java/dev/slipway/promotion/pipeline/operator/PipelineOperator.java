package dev.slipway.promotion.pipeline.operator;

import dev.slipway.api.v1alpha1.PipelineCustomResource;
import dev.slipway.kubernetes.reconcile.Backoff;
import dev.slipway.kubernetes.reconcile.ReconcileLoop;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.promotion.pipeline.Pipelines;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Pipeline operator: a {@link ReconcileLoop} on Pipeline resources whose reconciler is {@link
 * PipelineReconciler}. Off unless {@code slipway.operator.enabled}, because local mode has no
 * cluster.
 */
@ApplicationScoped
public class PipelineOperator {

  private static final Logger LOG = Logger.getLogger(PipelineOperator.class);

  private final boolean enabled;
  private final Optional<String> namespace;
  private final Duration resync;
  private final Instance<KubernetesClient> clients;
  private final Pipelines pipelines;
  private final Validator validator;
  private final UrlPolicy urlPolicy;
  private volatile ReconcileLoop<PipelineCustomResource> loop;

  public PipelineOperator(
      @ConfigProperty(name = "slipway.operator.enabled", defaultValue = "false") boolean enabled,
      @ConfigProperty(name = "slipway.operator.namespace") Optional<String> namespace,
      @ConfigProperty(name = "slipway.operator.resync", defaultValue = "10m") Duration resync,
      Instance<KubernetesClient> clients,
      Pipelines pipelines,
      Validator validator,
      UrlPolicy urlPolicy) {
    this.enabled = enabled;
    this.namespace = namespace;
    this.resync = resync;
    this.clients = clients;
    this.pipelines = pipelines;
    this.validator = validator;
    this.urlPolicy = urlPolicy;
  }

  void start(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    // The client is created only here, so a service without the operator needs no kube config.
    KubernetesClient client = clients.get();
    PipelineReconciler reconciler =
        new PipelineReconciler(client, pipelines, new PipelineCrSpecMapper(validator, urlPolicy));
    var resources = client.resources(PipelineCustomResource.class);
    ReconcileLoop<PipelineCustomResource> l =
        new ReconcileLoop<>(
            "pipeline-operator",
            namespace.isPresent()
                ? resources.inNamespace(namespace.get())
                : resources.inAnyNamespace(),
            resync,
            Backoff.DEFAULT,
            cr -> reconcile(reconciler, cr));
    l.onDelete(this::releaseName);
    loop = l;
    l.start();
    LOG.infof(
        "Pipeline operator watching %s, resync every %s",
        namespace.map(n -> "namespace " + n).orElse("all namespaces"), resync);
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) {
      loop.close();
    }
  }

  boolean enabled() {
    return enabled;
  }

  /** Whether the informer has listed every Pipeline once and still runs. */
  boolean synced() {
    ReconcileLoop<PipelineCustomResource> l = loop;
    return l != null && l.synced();
  }

  private Optional<Duration> reconcile(PipelineReconciler reconciler, PipelineCustomResource cr) {
    // Every resource is needed to see which one claimed a pipeline name first.
    reconciler.reconcile(cr, loop.cached());
    return Optional.empty();
  }

  /** A resource refused because the deleted one held its pipeline name may now take it. */
  private void releaseName(PipelineCustomResource deleted) {
    String name = PipelineReconciler.declaredName(deleted);
    for (PipelineCustomResource other : loop.cached()) {
      if (name.equals(PipelineReconciler.declaredName(other))) {
        loop.enqueue(other);
      }
    }
  }
}

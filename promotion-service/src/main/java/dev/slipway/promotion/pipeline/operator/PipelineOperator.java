package dev.slipway.promotion.pipeline.operator;

import dev.slipway.api.v1alpha1.PipelineCustomResource;
import dev.slipway.kubernetes.leader.Leadership;
import dev.slipway.kubernetes.reconcile.Backoff;
import dev.slipway.kubernetes.reconcile.ReconcileLoop;
import dev.slipway.platform.leader.LeaderElection;
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
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Pipeline operator: a {@link ReconcileLoop} on Pipeline resources whose reconciler is {@link
 * PipelineReconciler}, run only by the replica leading job {@code pipeline-operator}. Off unless
 * {@code slipway.operator.enabled}, because local mode has no cluster.
 */
@ApplicationScoped
public class PipelineOperator {

  static final String JOB = "pipeline-operator";

  private static final Logger LOG = Logger.getLogger(PipelineOperator.class);

  private final boolean enabled;
  private final Optional<String> namespace;
  private final Duration resync;
  private final Instance<KubernetesClient> clients;
  private final Pipelines pipelines;
  private final Validator validator;
  private final UrlPolicy urlPolicy;
  private final Instance<LeaderElection> election;
  private final AtomicLong reconciles = new AtomicLong();
  private volatile Leadership leadership;
  private volatile ReconcileLoop<PipelineCustomResource> loop;

  public PipelineOperator(
      @ConfigProperty(name = "slipway.operator.enabled", defaultValue = "false") boolean enabled,
      @ConfigProperty(name = "slipway.operator.namespace") Optional<String> namespace,
      @ConfigProperty(name = "slipway.operator.resync", defaultValue = "10m") Duration resync,
      Instance<KubernetesClient> clients,
      Pipelines pipelines,
      Validator validator,
      UrlPolicy urlPolicy,
      Instance<LeaderElection> election) {
    this.enabled = enabled;
    this.namespace = namespace;
    this.resync = resync;
    this.clients = clients;
    this.pipelines = pipelines;
    this.validator = validator;
    this.urlPolicy = urlPolicy;
    this.election = election;
  }

  void start(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    // The client is created only here, so a service without the operator needs no kube config.
    KubernetesClient client = clients.get();
    leadership = election.get().contend(JOB, () -> lead(client), this::follow);
  }

  /**
   * Runs this operator while {@code leadership} says this replica leads: how a second replica is
   * started beside this one.
   */
  void start(KubernetesClient client, Leadership leadership) {
    this.leadership = leadership;
    leadership.start(() -> lead(client), this::follow);
  }

  void stop(@Observes ShutdownEvent event) {
    Leadership l = leadership;
    if (l != null) {
      l.close();
    }
    follow();
  }

  /** Starts a fresh loop: its informer lists every resource, so nothing missed while following. */
  private synchronized void lead(KubernetesClient client) {
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
        "Pipeline operator leading, watching %s, resync every %s",
        namespace.map(n -> "namespace " + n).orElse("all namespaces"), resync);
  }

  private synchronized void follow() {
    ReconcileLoop<PipelineCustomResource> l = loop;
    loop = null;
    if (l != null) {
      l.close();
      LOG.info("Pipeline operator stopped: this replica no longer leads");
    }
  }

  boolean enabled() {
    return enabled;
  }

  /** Whether this replica leads the operator. */
  boolean leading() {
    Leadership l = leadership;
    return l != null && l.leading();
  }

  /** Whether this replica leads and its informer has listed every Pipeline once and still runs. */
  boolean synced() {
    ReconcileLoop<PipelineCustomResource> l = loop;
    return l != null && l.synced();
  }

  /** How many reconciles this replica has run. */
  long reconciles() {
    return reconciles.get();
  }

  private Optional<Duration> reconcile(PipelineReconciler reconciler, PipelineCustomResource cr) {
    reconciles.incrementAndGet();
    reconciler.reconcile(cr);
    return Optional.empty();
  }

  /** A resource refused because the deleted one held its pipeline name may now take it. */
  private void releaseName(PipelineCustomResource deleted) {
    ReconcileLoop<PipelineCustomResource> l = loop;
    if (l == null) {
      return;
    }
    String name = PipelineReconciler.declaredName(deleted);
    for (PipelineCustomResource other : l.cached()) {
      if (name.equals(PipelineReconciler.declaredName(other))) {
        l.enqueue(other);
      }
    }
  }
}

package dev.slipway.promotion.pipeline.operator;

import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.promotion.pipeline.Pipelines;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Pipeline operator: an informer on Pipeline resources feeding a work queue that one thread
 * drains through {@link PipelineReconciler}. Off unless {@code slipway.operator.enabled}, because
 * local mode has no cluster.
 */
@ApplicationScoped
public class PipelineOperator {

  private static final Logger LOG = Logger.getLogger(PipelineOperator.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(5);

  private final boolean enabled;
  private final Optional<String> namespace;
  private final Duration resync;
  private final Instance<KubernetesClient> clients;
  private final Pipelines pipelines;
  private final Validator validator;

  /** Keys ({@code namespace/name}) waiting for the worker, each with its one scheduled run. */
  private final Map<String, ScheduledFuture<?>> queued = new ConcurrentHashMap<>();

  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private volatile SharedIndexInformer<PipelineCustomResource> informer;
  private ScheduledExecutorService worker;
  private PipelineReconciler reconciler;
  private final UrlPolicy urlPolicy;

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
    reconciler =
        new PipelineReconciler(client, pipelines, new PipelineCrSpecMapper(validator, urlPolicy));
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pipeline-operator");
              t.setDaemon(true);
              return t;
            });
    var resources = client.resources(PipelineCustomResource.class);
    informer =
        namespace.isPresent()
            ? resources.inNamespace(namespace.get()).runnableInformer(resync.toMillis())
            : resources.inAnyNamespace().runnableInformer(resync.toMillis());
    informer.addEventHandler(new Handler());
    // Keep listing and watching through API server outages instead of giving up.
    informer.exceptionHandler(
        (started, e) -> {
          LOG.warnf("Pipeline informer: %s; retrying", e.toString());
          return true;
        });
    informer.start();
    LOG.infof(
        "Pipeline operator watching %s, resync every %s",
        namespace.map(n -> "namespace " + n).orElse("all namespaces"), resync);
  }

  void stop(@Observes ShutdownEvent event) {
    if (informer != null) {
      informer.stop();
    }
    if (worker != null) {
      worker.shutdownNow();
    }
  }

  boolean enabled() {
    return enabled;
  }

  /** Whether the informer has listed every Pipeline once and still runs. */
  boolean synced() {
    SharedIndexInformer<PipelineCustomResource> i = informer;
    return i != null && i.isRunning() && i.hasSynced();
  }

  /**
   * Schedules a reconcile of {@code key} after {@code delay}, or sooner if one is already due
   * sooner: a key is queued at most once, so a burst of events costs one reconcile.
   */
  private void enqueue(String key, Duration delay) {
    queued.compute(
        key,
        (k, pending) -> {
          if (pending != null && pending.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
            return pending;
          }
          if (pending != null) {
            pending.cancel(false);
          }
          return worker.schedule(() -> process(k), delay.toMillis(), TimeUnit.MILLISECONDS);
        });
  }

  private void process(String key) {
    // Unqueue before reading the cache: an event arriving from now on queues a fresh run.
    queued.remove(key);
    PipelineCustomResource cr = informer.getStore().getByKey(key);
    if (cr == null) {
      failures.remove(key);
      return;
    }
    try {
      reconciler.reconcile(cr, informer.getStore().list());
      failures.remove(key);
    } catch (RuntimeException e) {
      // The reconciler has logged it and said so in the status; level-triggered, so just rerun.
      enqueue(key, backoff(key));
    }
  }

  private Duration backoff(String key) {
    int n = failures.merge(key, 1, Integer::sum);
    Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(n - 1, 16));
    return delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
  }

  /** Informer callbacks only queue keys: the reconcile runs on the worker, not their thread. */
  private final class Handler implements ResourceEventHandler<PipelineCustomResource> {

    @Override
    public void onAdd(PipelineCustomResource cr) {
      enqueue(Cache.metaNamespaceKeyFunc(cr), Duration.ZERO);
    }

    @Override
    public void onUpdate(PipelineCustomResource old, PipelineCustomResource cr) {
      enqueue(Cache.metaNamespaceKeyFunc(cr), Duration.ZERO);
    }

    @Override
    public void onDelete(PipelineCustomResource cr, boolean finalStateUnknown) {
      failures.remove(Cache.metaNamespaceKeyFunc(cr));
      // A resource refused because this one held its pipeline name may now take it.
      String name = PipelineReconciler.declaredName(cr);
      for (PipelineCustomResource other : informer.getStore().list()) {
        if (name.equals(PipelineReconciler.declaredName(other))) {
          enqueue(Cache.metaNamespaceKeyFunc(other), Duration.ZERO);
        }
      }
    }
  }
}

package dev.slipway.deploy.reviewapps.operator;

import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.kubernetes.namespace.EphemeralNamespace;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The ReviewApp operator's machinery: an informer on ReviewApps in the control namespace feeding a
 * work queue that one thread drains through {@link ReviewAppReconciler}, and a periodic sweep that
 * reaps expired ReviewApps and review namespaces no ReviewApp wants, counts namespaces stuck
 * terminating, and reconciles everything again so hand edits are undone.
 */
public final class ReviewAppController implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReviewAppController.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(5);
  public static final String TERMINATING_GAUGE = "slipway.review_apps.terminating";

  private final KubernetesClient client;
  private final EphemeralNamespaces namespaces;
  private final KubernetesRuntimeSettings settings;
  private final ReviewAppOperatorSettings operator;
  private final Clock clock;
  private final ReviewAppReconciler reconciler;
  private final AtomicInteger terminating = new AtomicInteger();
  private final Map<String, ScheduledFuture<?>> queued = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final ScheduledExecutorService worker;
  private volatile SharedIndexInformer<ReviewAppResource> informer;

  public ReviewAppController(
      KubernetesClient client,
      EphemeralNamespaces namespaces,
      KubernetesRuntimeSettings settings,
      ReviewAppOperatorSettings operator,
      MeterRegistry registry,
      Clock clock) {
    this.client = client;
    this.namespaces = namespaces;
    this.settings = settings;
    this.operator = operator;
    this.clock = clock;
    this.reconciler = new ReviewAppReconciler(client, namespaces, settings, operator, clock);
    Gauge.builder(TERMINATING_GAUGE, terminating, AtomicInteger::get)
        .description("Review app namespaces terminating for longer than they should")
        .register(registry);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "review-app-operator");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts watching ReviewApps and sweeping every resync period. */
  public void start() {
    informer =
        client
            .resources(ReviewAppResource.class)
            .inNamespace(settings.controlNamespace())
            .runnableInformer(operator.resync().toMillis());
    informer.addEventHandler(new Handler());
    // Keep listing and watching through API server outages instead of giving up.
    informer.exceptionHandler(
        (started, e) -> {
          LOG.warnf("ReviewApp informer: %s; retrying", e.toString());
          return true;
        });
    informer.start();
    worker.scheduleWithFixedDelay(
        this::sweepSafely,
        operator.resync().toMillis(),
        operator.resync().toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.infof(
        "ReviewApp operator watching namespace %s, resync every %s",
        settings.controlNamespace(), operator.resync());
  }

  /** Whether the informer has listed every ReviewApp once and still runs. */
  public boolean synced() {
    SharedIndexInformer<ReviewAppResource> i = informer;
    return i != null && i.isRunning() && i.hasSynced();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.stop();
    }
    worker.shutdownNow();
  }

  /**
   * Deletes expired ReviewApps and the review namespaces no ReviewApp wants, updates the count of
   * namespaces stuck terminating, and queues every ReviewApp for a reconcile.
   */
  void sweep() {
    Instant now = clock.instant();
    List<ReviewAppResource> all =
        client
            .resources(ReviewAppResource.class)
            .inNamespace(settings.controlNamespace())
            .list()
            .getItems();
    Set<String> wanted =
        all.stream()
            .filter(cr -> cr.getSpec() != null)
            .map(ReviewAppController::namespaceOrNull)
            .filter(n -> n != null)
            .collect(Collectors.toSet());
    for (ReviewAppResource cr : all) {
      if (!cr.isMarkedForDeletion() && ReviewAppReconciler.expired(cr, now)) {
        LOG.infof("ReviewApp %s expired: deleting it", ReviewAppReconciler.key(cr));
        client.resource(cr).delete();
      }
    }
    int stuck = 0;
    for (Namespace ns : namespaces.managed(EphemeralNamespace.Kind.REVIEW)) {
      String name = ns.getMetadata().getName();
      String deleting = ns.getMetadata().getDeletionTimestamp();
      if (deleting != null) {
        if (!Instant.parse(deleting).plus(operator.terminatingAfter()).isAfter(now)) {
          stuck++;
        }
        continue;
      }
      if (!wanted.contains(name)) {
        LOG.infof("review namespace %s has no ReviewApp: deleting it", name);
        namespaces.delete(name);
      }
    }
    terminating.set(stuck);
    SharedIndexInformer<ReviewAppResource> i = informer;
    if (i != null) {
      i.getStore().list().forEach(cr -> enqueue(Cache.metaNamespaceKeyFunc(cr), Duration.ZERO));
    }
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warnf("ReviewApp sweep failed, next one in %s: %s", operator.resync(), e.getMessage());
    }
  }

  private static String namespaceOrNull(ReviewAppResource cr) {
    try {
      return ReviewAppReconciler.namespaceOf(cr);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Schedules a reconcile of {@code key}, at most once: a burst of events costs one reconcile. */
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
    ReviewAppResource cr = informer.getStore().getByKey(key);
    if (cr == null) {
      failures.remove(key);
      return;
    }
    try {
      Optional<Duration> again = reconciler.reconcile(cr);
      failures.remove(key);
      again.ifPresent(delay -> enqueue(key, delay));
    } catch (RuntimeException e) {
      enqueue(key, backoff(key));
    }
  }

  private Duration backoff(String key) {
    int n = failures.merge(key, 1, Integer::sum);
    Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(n - 1, 16));
    return delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
  }

  /** Informer callbacks only queue keys: the reconcile runs on the worker, not their thread. */
  private final class Handler implements ResourceEventHandler<ReviewAppResource> {

    @Override
    public void onAdd(ReviewAppResource cr) {
      enqueue(Cache.metaNamespaceKeyFunc(cr), Duration.ZERO);
    }

    @Override
    public void onUpdate(ReviewAppResource old, ReviewAppResource cr) {
      enqueue(Cache.metaNamespaceKeyFunc(cr), Duration.ZERO);
    }

    @Override
    public void onDelete(ReviewAppResource cr, boolean finalStateUnknown) {
      failures.remove(Cache.metaNamespaceKeyFunc(cr));
    }
  }
}

package dev.slipway.deploy.reviewapps.operator;

import dev.slipway.api.v1alpha1.ReviewAppCustomResource;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.kubernetes.namespace.EphemeralNamespace;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.reconcile.Backoff;
import dev.slipway.kubernetes.reconcile.ReconcileLoop;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The ReviewApp operator: a {@link ReconcileLoop} on ReviewApps in the control namespace whose
 * reconciler is {@link ReviewAppReconciler}, and a periodic sweep on the loop's thread that reaps
 * expired ReviewApps and review namespaces no ReviewApp wants, counts namespaces stuck terminating,
 * and reconciles everything again so hand edits are undone. It can be started again after {@link
 * #close}, each time with a fresh loop, as leadership comes and goes.
 */
public final class ReviewAppController implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReviewAppController.class);
  public static final String TERMINATING_GAUGE = "slipway.review_apps.terminating";

  private final KubernetesClient client;
  private final EphemeralNamespaces namespaces;
  private final KubernetesRuntimeSettings settings;
  private final ReviewAppOperatorSettings operator;
  private final Clock clock;
  private final AtomicInteger terminating = new AtomicInteger();
  private final AtomicLong reconciles = new AtomicLong();
  private final ReviewAppReconciler reconciler;
  private volatile ReconcileLoop<ReviewAppCustomResource> loop;

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
  }

  /** Starts watching ReviewApps and sweeping every resync period. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    ReconcileLoop<ReviewAppCustomResource> l =
        new ReconcileLoop<>(
            "review-app-operator",
            client
                .resources(ReviewAppCustomResource.class)
                .inNamespace(settings.controlNamespace()),
            operator.resync(),
            Backoff.DEFAULT,
            cr -> {
              reconciles.incrementAndGet();
              return reconciler.reconcile(cr);
            });
    loop = l;
    l.start();
    l.every(operator.resync(), this::sweepSafely);
    LOG.infof(
        "ReviewApp operator watching namespace %s, resync every %s",
        settings.controlNamespace(), operator.resync());
  }

  /** Whether the informer has listed every ReviewApp once and still runs. */
  public boolean synced() {
    ReconcileLoop<ReviewAppCustomResource> l = loop;
    return l != null && l.synced();
  }

  /** Whether the loop runs (between {@link #start} and {@link #close}). */
  public boolean running() {
    return loop != null;
  }

  /** How many reconciles this controller has run. */
  public long reconciles() {
    return reconciles.get();
  }

  /** Stops watching and sweeping; {@link #start} starts again. */
  @Override
  public synchronized void close() {
    ReconcileLoop<ReviewAppCustomResource> l = loop;
    loop = null;
    if (l != null) {
      l.close();
    }
  }

  /**
   * Deletes expired ReviewApps and the review namespaces no ReviewApp wants, updates the count of
   * namespaces stuck terminating, and queues every ReviewApp for a reconcile.
   */
  void sweep() {
    Instant now = clock.instant();
    List<ReviewAppCustomResource> all =
        client
            .resources(ReviewAppCustomResource.class)
            .inNamespace(settings.controlNamespace())
            .list()
            .getItems();
    Set<String> wanted =
        all.stream()
            .filter(cr -> cr.getSpec() != null)
            .map(ReviewAppController::namespaceOrNull)
            .filter(n -> n != null)
            .collect(Collectors.toSet());
    for (ReviewAppCustomResource cr : all) {
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
    ReconcileLoop<ReviewAppCustomResource> l = loop;
    if (l != null) {
      l.enqueueAll();
    }
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warnf("ReviewApp sweep failed, next one in %s: %s", operator.resync(), e.getMessage());
    }
  }

  private static String namespaceOrNull(ReviewAppCustomResource cr) {
    try {
      return ReviewAppReconciler.namespaceOf(cr);
    } catch (RuntimeException e) {
      return null;
    }
  }
}

package dev.slipway.kubernetes.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * An operator's machinery, written once: an informer on one resource kind feeding a keyed work
 * queue that one thread drains through a {@link Reconciler}, failures retried after a {@link
 * Backoff}, and a periodic resync that reconciles everything again.
 *
 * <p>Informer callbacks only queue the resource's {@code namespace/name}; the worker reads the
 * latest object from the informer's cache when the key's turn comes, so a burst of events for one
 * resource costs one reconcile. Periodic tasks given to {@link #every} run on the same thread, so
 * they never run beside a reconcile.
 */
public final class ReconcileLoop<R extends HasMetadata> implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

  private final String name;
  private final Informable<R> source;
  private final Duration resync;
  private final Backoff backoff;
  private final Reconciler<R> reconciler;

  /** Keys waiting for the worker, each with its one scheduled run. */
  private final Map<String, ScheduledFuture<?>> queued = new ConcurrentHashMap<>();

  /** Failures in a row per key, for the backoff; forgotten on success or deletion. */
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  private final ScheduledExecutorService worker;
  private volatile Consumer<R> onDelete = r -> {};
  private volatile SharedIndexInformer<R> informer;

  /**
   * @param name names the worker thread and the log lines
   * @param source what to watch, e.g. {@code client.resources(X.class).inNamespace(ns)}
   * @param resync how often the informer hands every resource over again
   */
  public ReconcileLoop(
      String name,
      Informable<R> source,
      Duration resync,
      Backoff backoff,
      Reconciler<R> reconciler) {
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(source, "source");
    this.resync = Objects.requireNonNull(resync, "resync");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Also tells {@code action} of every deleted resource (on the informer's thread: keep it short).
   */
  public ReconcileLoop<R> onDelete(Consumer<R> action) {
    this.onDelete = Objects.requireNonNull(action, "action");
    return this;
  }

  /** Starts the informer; its first listing queues every existing resource. */
  public void start() {
    SharedIndexInformer<R> i = source.runnableInformer(resync.toMillis());
    i.addEventHandler(new Handler());
    // Keep listing and watching through API server outages instead of giving up.
    i.exceptionHandler(
        (started, e) -> {
          LOG.warnf("%s informer: %s; retrying", name, e.toString());
          return true;
        });
    informer = i;
    i.start();
  }

  /**
   * Runs {@code task} every {@code period} on the reconcile thread, the first time after one
   * period.
   */
  public void every(Duration period, Runnable task) {
    worker.scheduleWithFixedDelay(
        task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the informer has listed every resource once and still runs. */
  public boolean synced() {
    SharedIndexInformer<R> i = informer;
    return i != null && i.isRunning() && i.hasSynced();
  }

  /** Every resource in the informer's cache (empty before {@link #start}). */
  public List<R> cached() {
    SharedIndexInformer<R> i = informer;
    return i == null ? List.of() : i.getStore().list();
  }

  /** Queues {@code resource} for a reconcile now. */
  public void enqueue(R resource) {
    enqueue(key(resource), Duration.ZERO);
  }

  /** Queues every cached resource for a reconcile now. */
  public void enqueueAll() {
    cached().forEach(this::enqueue);
  }

  /** The queue's key of a resource: {@code namespace/name}. */
  public static String key(HasMetadata resource) {
    return Cache.metaNamespaceKeyFunc(resource);
  }

  @Override
  public void close() {
    SharedIndexInformer<R> i = informer;
    if (i != null) {
      i.stop();
    }
    worker.shutdownNow();
  }

  /**
   * Schedules a reconcile of {@code key} after {@code delay}, or sooner if one is already due
   * sooner: a key is queued at most once.
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
    R resource = informer.getStore().getByKey(key);
    if (resource == null) {
      failures.remove(key);
      return;
    }
    try {
      var again = reconciler.reconcile(resource);
      failures.remove(key);
      again.ifPresent(delay -> enqueue(key, delay));
    } catch (RuntimeException e) {
      // The reconciler has logged it and said so in the status; level-triggered, so just rerun.
      LOG.debugf(e, "%s: reconciling %s failed", name, key);
      enqueue(key, backoff.after(failures.merge(key, 1, Integer::sum)));
    }
  }

  /** Informer callbacks only queue keys: the reconcile runs on the worker, not their thread. */
  private final class Handler implements ResourceEventHandler<R> {

    @Override
    public void onAdd(R resource) {
      enqueue(resource);
    }

    @Override
    public void onUpdate(R old, R resource) {
      enqueue(resource);
    }

    @Override
    public void onDelete(R resource, boolean finalStateUnknown) {
      failures.remove(key(resource));
      onDelete.accept(resource);
    }
  }
}

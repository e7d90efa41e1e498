package dev.slipway.platform.work;

import dev.slipway.platform.persistence.DatabaseOutage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Threads that claim queued work from the database and run it, one item at a time each: they sleep
 * until woken (work was queued here, or another instance committed an event) or until the poll
 * interval, a safety net, passes. Used by the build and test-run queues.
 */
public final class WorkerPool<T> {

  private static final Logger LOG = Logger.getLogger(WorkerPool.class);
  private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
  private static final long STORE_BACKOFF_MAX_MS = 5_000;
  private static final Duration STORE_PATIENCE = Duration.ofMinutes(10);

  private final String name;
  private final int threads;
  private final Duration pollInterval;
  private final Supplier<Optional<T>> claim;
  private final Consumer<T> work;
  private final Object signal = new Object();
  private final List<Thread> started = new ArrayList<>();
  private volatile boolean stopping;

  /**
   * @param claim takes the next item off the queue (empty when there is none); runs on a worker
   *     thread, so it may block
   * @param work runs one item to its end; an exception is logged and the worker goes on
   */
  public WorkerPool(
      String name,
      int threads,
      Duration pollInterval,
      Supplier<Optional<T>> claim,
      Consumer<T> work) {
    this.name = name;
    this.threads = threads;
    this.pollInterval = pollInterval;
    this.claim = claim;
    this.work = work;
  }

  /** Starts the threads (daemons named {@code <name>-<n>}). */
  public synchronized void start() {
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::loop, name + "-" + i);
      t.setDaemon(true);
      started.add(t);
      t.start();
    }
  }

  /** Lets the threads finish their current item and end. */
  public void stop() {
    stopping = true;
    wake();
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopping() {
    return stopping;
  }

  /**
   * Runs {@code store} until it succeeds while the database is away ({@link DatabaseOutage}),
   * backing off up to {@value #STORE_BACKOFF_MAX_MS} ms: the outcome of finished work is known and
   * must be recorded, so a database that is restarting is waited for instead of leaving the work
   * claimed and never ended. {@code store} must be idempotent (ending ended work changes nothing).
   * Gives up, rethrowing, when the pool stops or after {@link #STORE_PATIENCE}; a restart's sweep
   * then ends the work.
   */
  public <R> R untilStored(String what, Supplier<R> store) {
    long deadline = System.nanoTime() + STORE_PATIENCE.toNanos();
    long backoff = 100;
    while (true) {
      try {
        return store.get();
      } catch (RuntimeException e) {
        if (!DatabaseOutage.isOutage(e) || stopping || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.warnf(
            "%s: could not store %s, retrying in %d ms: %s", name, what, backoff, e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoff = Math.min(backoff * 2, STORE_BACKOFF_MAX_MS);
      }
    }
  }

  /** Wakes idle threads: work was queued. */
  public void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void loop() {
    while (!stopping) {
      try {
        Optional<T> next = claim.get();
        if (next.isEmpty()) {
          synchronized (signal) {
            signal.wait(pollInterval.toMillis());
          }
          continue;
        }
        work.accept(next.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!stopping) {
          LOG.warnf("%s: %s", name, e.getMessage());
          try {
            // A failed claim (database restarting) is retried soon, not after the safety net.
            Thread.sleep(Math.min(pollInterval.toMillis(), ERROR_BACKOFF.toMillis()));
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}

package dev.slipway.kubernetes.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Waits for Jobs in one namespace to end: polls each until its {@code Complete} or {@code Failed}
 * condition holds or it is gone, within a deadline, and wakes at once when {@link #wake} is called
 * (a cancellation). One instance per wait.
 */
public final class JobWatch {

  /** What a caller does while it waits; every hook runs on the waiting thread. */
  @FunctionalInterface
  public interface Listener {

    /** Whether to stop waiting now (cancelled); checked before every poll. */
    boolean stopped();

    /** The Job {@code name} was read and has not ended: a chance to follow its pod. */
    default void running(String name, Job job) {}

    /**
     * Reading the Job {@code name} failed (already logged). Return to poll again at the next
     * interval, since the API server may be briefly unreachable and the deadline bounds how long
     * that may last; or throw to stop waiting.
     */
    default void readFailed(String name, KubernetesClientException e) {}
  }

  private static final Logger LOG = Logger.getLogger(JobWatch.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Duration pollInterval;
  private final Clock clock;
  private final CountDownLatch woken = new CountDownLatch(1);

  public JobWatch(KubernetesClient client, String namespace, Duration pollInterval, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Ends the current sleep between polls, so {@link Listener#stopped} is looked at at once. */
  public void wake() {
    woken.countDown();
  }

  /**
   * Polls the named Jobs until every one ended (completed, failed, or gone), the deadline passed,
   * the listener stopped it, or the thread was interrupted (its flag is left set).
   *
   * @return the Jobs that ended by name, a gone Job mapped to null; those missing did not end
   */
  public Map<String, Job> awaitEnd(Collection<String> names, Instant deadline, Listener listener) {
    Map<String, Job> ended = new HashMap<>();
    while (ended.size() < names.size() && !listener.stopped()) {
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        break;
      }
      for (String name : names) {
        if (ended.containsKey(name)) {
          continue;
        }
        try {
          Job current = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
          if (current == null || JobStates.ended(current)) {
            ended.put(name, current);
          } else {
            listener.running(name, current);
          }
        } catch (KubernetesClientException e) {
          LOG.warnf("reading job %s/%s failed: %s", namespace, name, KubernetesErrors.describe(e));
          listener.readFailed(name, e);
        }
      }
      if (ended.size() == names.size()) {
        break;
      }
      Duration wait = Duration.between(now, deadline);
      if (wait.compareTo(pollInterval) > 0) {
        wait = pollInterval;
      }
      try {
        woken.await(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return ended;
  }
}

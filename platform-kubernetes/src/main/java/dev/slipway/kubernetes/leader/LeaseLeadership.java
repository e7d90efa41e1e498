package dev.slipway.kubernetes.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@link Leadership} on a {@code coordination.k8s.io/v1} Lease through Fabric8's LeaderElector: the
 * holder renews the Lease every retry period; a replica that cannot renew within the renew deadline
 * stops leading, and the others take the Lease once it is a lease duration old. Closing releases
 * the Lease, so a replica shutting down hands over at once.
 */
public final class LeaseLeadership implements Leadership {

  private static final Logger LOG = Logger.getLogger(LeaseLeadership.class);

  /**
   * The election's pace; Kubernetes' own controllers use 15 s, 10 s and 2 s.
   *
   * @param leaseDuration how long followers wait after the last renewal before taking over
   * @param renewDeadline how long the leader keeps trying to renew before it stops leading
   * @param retryPeriod how often the leader renews and followers try to acquire
   */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public Timing {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      Objects.requireNonNull(retryPeriod, "retryPeriod");
      // The leader must give up before a follower may take over, or both would lead for a while.
      if (renewDeadline.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException("renewDeadline must be shorter than leaseDuration");
      }
      if (retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new IllegalArgumentException("retryPeriod must be shorter than renewDeadline");
      }
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String job;
  private final String identity;
  private final Timing timing;

  private Runnable onLead;
  private Runnable onLoss;
  private boolean closed;
  private CompletableFuture<?> election;
  private volatile boolean leading;

  /**
   * @param leaseName the Lease, {@code slipway-<service>-<job>} by convention
   * @param identity this replica's name in the Lease's {@code holderIdentity} (its pod name)
   */
  public LeaseLeadership(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String job,
      String identity,
      Timing timing) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
    this.job = Objects.requireNonNull(job, "job");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.timing = Objects.requireNonNull(timing, "timing");
  }

  @Override
  public String job() {
    return job;
  }

  @Override
  public synchronized void start(Runnable onLead, Runnable onLoss) {
    if (this.onLead != null) {
      throw new IllegalStateException("leadership of " + job + " already started");
    }
    this.onLead = Objects.requireNonNull(onLead, "onLead");
    this.onLoss = Objects.requireNonNull(onLoss, "onLoss");
    contend();
  }

  @Override
  public boolean leading() {
    return leading;
  }

  @Override
  public void close() {
    CompletableFuture<?> running;
    synchronized (this) {
      closed = true;
      running = election;
    }
    if (running != null) {
      // With releaseOnCancel the elector empties the Lease's holder, so a follower needs no wait.
      running.cancel(true);
    }
    lose();
  }

  private synchronized void contend() {
    if (closed) {
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(leaseName)
            .withLock(new LeaseLock(namespace, leaseName, identity))
            .withLeaseDuration(timing.leaseDuration())
            .withRenewDeadline(timing.renewDeadline())
            .withRetryPeriod(timing.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(new LeaderCallbacks(this::lead, this::lose, leader -> {}))
            .build();
    CompletableFuture<?> running = client.leaderElector().withConfig(config).build().start();
    election = running;
    running.whenComplete(
        (done, failure) -> {
          lose();
          // A leader that could not renew competes again, as a follower, unless it was closed.
          synchronized (this) {
            if (closed) {
              return;
            }
          }
          LOG.infof(
              "leadership of %s (Lease %s/%s) lost; contending again", job, namespace, leaseName);
          CompletableFuture.delayedExecutor(timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)
              .execute(this::contend);
        });
  }

  private synchronized void lead() {
    if (closed || leading) {
      return;
    }
    leading = true;
    LOG.infof("%s leads %s (Lease %s/%s)", identity, job, namespace, leaseName);
    onLead.run();
  }

  private synchronized void lose() {
    if (!leading) {
      return;
    }
    leading = false;
    LOG.infof("%s no longer leads %s", identity, job);
    onLoss.run();
  }
}

package dev.slipway.platform.leader;

import dev.slipway.kubernetes.leader.Leadership;
import dev.slipway.kubernetes.leader.LeaseLeadership;
import dev.slipway.platform.persistence.AdvisoryLockLeadership;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This replica's leader election, one {@link Leadership} per singleton job, named {@code
 * slipway-<service>-<job>}: on a Kubernetes Lease in {@code kubernetes} mode, on a PostgreSQL
 * advisory lock in {@code postgresql} (local) mode. All are given up at shutdown so another replica
 * takes over at once.
 */
@ApplicationScoped
public class LeaderElection {

  /** Where the leader election holds its locks. */
  public enum Mode {
    POSTGRESQL,
    KUBERNETES;

    static Mode parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "slipway.leader-election.mode: must be postgresql or kubernetes, not " + value);
      }
    }
  }

  private final String service;
  private final Mode mode;
  private final String namespace;
  private final LeaseLeadership.Timing timing;
  private final String identity;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Instance<KubernetesClient> clients;
  private final Map<String, Leadership> jobs = new TreeMap<>();
  private boolean closed;

  public LeaderElection(
      @ConfigProperty(name = "quarkus.application.name") String service,
      @ConfigProperty(name = "slipway.leader-election.mode") String mode,
      @ConfigProperty(name = "slipway.leader-election.namespace") String namespace,
      @ConfigProperty(name = "slipway.leader-election.lease-duration") Duration leaseDuration,
      @ConfigProperty(name = "slipway.leader-election.renew-deadline") Duration renewDeadline,
      @ConfigProperty(name = "slipway.leader-election.retry-period") Duration retryPeriod,
      @ConfigProperty(name = "slipway.leader-election.identity") Optional<String> identity,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      Instance<KubernetesClient> clients) {
    this.service = service;
    this.mode = Mode.parse(mode);
    this.namespace = namespace;
    this.timing = new LeaseLeadership.Timing(leaseDuration, renewDeadline, retryPeriod);
    this.identity = identity.filter(i -> !i.isBlank()).orElseGet(LeaderElection::defaultIdentity);
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password.orElse("");
    this.clients = clients;
  }

  /**
   * Starts contending for {@code job}: {@code onLead} runs whenever this replica becomes its
   * leader, {@code onLoss} whenever it stops being it (see {@link Leadership#start}).
   */
  public synchronized Leadership contend(String job, Runnable onLead, Runnable onLoss) {
    if (closed) {
      throw new IllegalStateException("leader election closed");
    }
    Leadership leadership = create(job);
    // A job contended for again (its user stopped and started) replaces the earlier contention.
    Leadership earlier = jobs.put(job, leadership);
    if (earlier != null) {
      earlier.close();
    }
    leadership.start(onLead, onLoss);
    return leadership;
  }

  /**
   * Whether this replica leads {@code job}, for periodic jobs that just skip a run when it does
   * not; the first call starts contending, so call it at startup too.
   */
  public synchronized boolean leads(String job) {
    Leadership leadership = jobs.get(job);
    if (leadership == null) {
      leadership = contend(job, () -> {}, () -> {});
    }
    return leadership.leading();
  }

  /** Each job contended for, and whether this replica leads it. */
  public synchronized Map<String, Boolean> jobs() {
    Map<String, Boolean> leading = new TreeMap<>();
    jobs.forEach((job, l) -> leading.put(job, l.leading()));
    return leading;
  }

  public Mode mode() {
    return mode;
  }

  /** This replica's name in the Leases it holds. */
  public String identity() {
    return identity;
  }

  /** The Lease or lock name of {@code job}. */
  public String lockName(String job) {
    return "slipway-" + service + "-" + job;
  }

  void stop(@Observes ShutdownEvent event) {
    Map<String, Leadership> held;
    synchronized (this) {
      closed = true;
      held = Map.copyOf(jobs);
    }
    held.values().forEach(Leadership::close);
  }

  private Leadership create(String job) {
    return switch (mode) {
      case KUBERNETES ->
          new LeaseLeadership(clients.get(), namespace, lockName(job), job, identity, timing);
      case POSTGRESQL ->
          new AdvisoryLockLeadership(
              job,
              lockName(job),
              () -> DriverManager.getConnection(jdbcUrl, user, password),
              timing.retryPeriod());
    };
  }

  /** The pod name in a cluster (its hostname), plus a random part for replicas sharing a host. */
  private static String defaultIdentity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

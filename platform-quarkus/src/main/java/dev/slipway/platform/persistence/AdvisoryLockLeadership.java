package dev.slipway.platform.persistence;

import dev.slipway.kubernetes.leader.Leadership;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * {@link Leadership} on a PostgreSQL session-level advisory lock held on a connection of its own:
 * the replica whose {@code pg_try_advisory_lock} succeeds leads until it closes the connection, or
 * the connection breaks and PostgreSQL ends the session, which releases the lock for the next
 * replica's try. Used in local mode, where there is no Kubernetes API to hold a Lease.
 */
public final class AdvisoryLockLeadership implements Leadership {

  private static final Logger LOG = Logger.getLogger(AdvisoryLockLeadership.class);

  /** Opens the dedicated connection; never one from a pool, which would hand the lock around. */
  @FunctionalInterface
  public interface Connector {
    Connection connect() throws SQLException;
  }

  private final String job;
  private final String lockName;
  private final Connector connector;
  private final Duration retryPeriod;

  private volatile boolean closed;
  private volatile boolean leading;
  private volatile Thread thread;

  /**
   * @param lockName the lock, {@code slipway-<service>-<job>} by convention (hashed to its key)
   * @param retryPeriod how often a follower tries the lock and the leader checks its connection
   */
  public AdvisoryLockLeadership(
      String job, String lockName, Connector connector, Duration retryPeriod) {
    this.job = Objects.requireNonNull(job, "job");
    this.lockName = Objects.requireNonNull(lockName, "lockName");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.retryPeriod = Objects.requireNonNull(retryPeriod, "retryPeriod");
  }

  @Override
  public String job() {
    return job;
  }

  @Override
  public synchronized void start(Runnable onLead, Runnable onLoss) {
    if (thread != null) {
      throw new IllegalStateException("leadership of " + job + " already started");
    }
    Objects.requireNonNull(onLead, "onLead");
    Objects.requireNonNull(onLoss, "onLoss");
    Thread t = new Thread(() -> contend(onLead, onLoss), "leader-" + job);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public boolean leading() {
    return leading;
  }

  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void contend(Runnable onLead, Runnable onLoss) {
    while (!closed) {
      try (Connection connection = connector.connect()) {
        while (!closed) {
          if (!leading && tryLock(connection)) {
            leading = true;
            LOG.infof("this replica leads %s (advisory lock %s)", job, lockName);
            onLead.run();
          } else if (leading && !connection.isValid(timeoutSeconds())) {
            // The session is gone or going, and the lock with it: another replica may lead now.
            throw new SQLException("the connection holding the lock is no longer valid");
          }
          Thread.sleep(retryPeriod.toMillis());
        }
      } catch (InterruptedException e) {
        // close() wakes the thread; the loop condition ends it.
      } catch (SQLException | RuntimeException e) {
        LOG.warnf("leader election for %s: %s; retrying in %s", job, e.getMessage(), retryPeriod);
      } finally {
        // Closing the connection ended the session and released the lock.
        if (leading) {
          leading = false;
          LOG.infof("this replica no longer leads %s", job);
          onLoss.run();
        }
      }
      if (!closed) {
        try {
          Thread.sleep(retryPeriod.toMillis());
        } catch (InterruptedException e) {
          // close() again.
        }
      }
    }
  }

  private boolean tryLock(Connection connection) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
      lock.setString(1, lockName);
      try (ResultSet rs = lock.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private int timeoutSeconds() {
    return (int) Math.max(1, retryPeriod.toSeconds());
  }
}

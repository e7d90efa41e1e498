package dev.slipway.platform.instances;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This incarnation of the service among its replicas: its heartbeat row in the service's {@code
 * service_instance} table, refreshed every {@code heartbeat-interval}, and the periodic sweep that
 * errors work whose owner is gone (ADR 0017). Safe on every replica at once: a sweep only touches
 * work {@link Abandonment} calls abandoned, and ending work is idempotent.
 */
@ApplicationScoped
public class ServiceInstances {

  private static final Logger LOG = Logger.getLogger(ServiceInstances.class);

  private final UUID id = UUID.randomUUID();
  private final String name;
  private final String table;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Duration heartbeatInterval;
  private final Duration staleAfter;
  private ScheduledExecutorService beats;

  public ServiceInstances(
      @ConfigProperty(name = "slipway.schema") String schema,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      @ConfigProperty(name = "slipway.instance.name") Optional<String> configuredName,
      @ConfigProperty(name = "slipway.instances.heartbeat-interval", defaultValue = "10s")
          Duration heartbeatInterval,
      @ConfigProperty(name = "slipway.instances.stale-after", defaultValue = "60s")
          Duration staleAfter) {
    if (staleAfter.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
      throw new IllegalArgumentException(
          "slipway.instances.stale-after must exceed two heartbeat intervals ("
              + heartbeatInterval.multipliedBy(2)
              + "): a live instance would look gone between two beats");
    }
    this.name = InstanceName.derive(configuredName, System.getenv(), hostname(), pid());
    this.table = schema + ".service_instance";
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password.orElse("");
    this.heartbeatInterval = heartbeatInterval;
    this.staleAfter = staleAfter;
  }

  /** This incarnation: recorded as the owner of the work it claims. */
  public UUID id() {
    return id;
  }

  /** This replica's name (see {@link InstanceName}). */
  public String name() {
    return name;
  }

  /**
   * Records this incarnation and runs {@code sweep} once before returning (the startup sweep), then
   * refreshes the heartbeat and runs {@code sweep} again every heartbeat interval. Only the
   * service's workers call it: a service without claimed work has no heartbeat table.
   */
  public synchronized void start(Consumer<Abandonment> sweep) {
    if (beats != null) {
      throw new IllegalStateException("already started");
    }
    LOG.infof("service instance %s (incarnation %s)", name, id);
    beat(sweep);
    beats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "instance-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = heartbeatInterval.toMillis();
    beats.scheduleWithFixedDelay(() -> beat(sweep), every, every, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    ScheduledExecutorService running;
    synchronized (this) {
      running = beats;
    }
    if (running != null) {
      running.shutdownNow();
    }
  }

  /** One heartbeat; a failure is logged and the next beat tries again. */
  private void beat(Consumer<Abandonment> sweep) {
    Abandonment abandonment;
    try {
      abandonment = heartbeat();
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("heartbeat of instance %s failed: %s", name, e.getMessage());
      return;
    }
    try {
      sweep.accept(abandonment);
    } catch (RuntimeException e) {
      LOG.warnf("sweep for abandoned work failed: %s", e.getMessage());
    }
    try {
      forgetStale(abandonment);
    } catch (SQLException | RuntimeException e) {
      LOG.debugf("could not remove stale instance rows: %s", e.getMessage());
    }
  }

  /** Refreshes this incarnation's row and reads every row, with the database's clock. */
  private Abandonment heartbeat() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      try (PreparedStatement upsert =
          c.prepareStatement(
              "insert into "
                  + table
                  + " (id, name, started_at, heartbeat_at) values (?, ?, now(), now())"
                  + " on conflict (id) do update set heartbeat_at = now()")) {
        upsert.setObject(1, id);
        upsert.setString(2, name);
        upsert.executeUpdate();
      }
      Map<UUID, OwnerRecord> rows = new HashMap<>();
      Instant now;
      try (PreparedStatement select =
              c.prepareStatement("select id, name, heartbeat_at, now() from " + table);
          ResultSet rs = select.executeQuery()) {
        now = null;
        while (rs.next()) {
          UUID owner = rs.getObject(1, UUID.class);
          rows.put(owner, new OwnerRecord(owner, rs.getString(2), rs.getTimestamp(3).toInstant()));
          now = rs.getTimestamp(4).toInstant();
        }
      }
      return new Abandonment(id, name, now, staleAfter, rows);
    }
  }

  /**
   * Removes the rows of instances gone for good (ten times the bound): their work was errored by
   * the sweep that ran before, and work of an owner without a row counts as abandoned anyway.
   */
  private void forgetStale(Abandonment seen) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement delete =
            c.prepareStatement("delete from " + table + " where heartbeat_at < ? and id <> ?")) {
      delete.setTimestamp(1, Timestamp.from(seen.now().minus(staleAfter.multipliedBy(10))));
      delete.setObject(2, id);
      delete.executeUpdate();
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "";
    }
  }

  private static long pid() {
    return ProcessHandle.current().pid();
  }
}

package dev.slipway.testing.logs;

import dev.slipway.apps.config.Redactor;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Test node output: every line stored (after redacting secret values) so it survives restarts,
 * flushed in small batches, and followed live by polling what is stored.
 */
@ApplicationScoped
public class TestLogs {

  private static final Logger LOG = Logger.getLogger(TestLogs.class);
  private static final Duration FLUSH_EVERY = Duration.ofMillis(200);
  private static final Duration POLL_EVERY = Duration.ofMillis(250);
  private static final int MAX_LINE = 16 * 1024;
  private static final Set<String> ACTIVE = Set.of("pending", "creating", "building", "running");

  private final DataSource dataSource;
  private final String table;
  private final String runTable;
  private final Set<Writer> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "test-log-flusher");
            t.setDaemon(true);
            return t;
          });

  public TestLogs(DataSource dataSource, @ConfigProperty(name = "slipway.schema") String schema) {
    this.dataSource = dataSource;
    // schema is validated as a plain identifier by the outbox relay at startup
    this.table = schema + ".test_log_line";
    this.runTable = schema + ".test_run";
    flusher.scheduleWithFixedDelay(
        this::flushAll, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    flushAll();
    flusher.shutdownNow();
  }

  /** Opens a node's output for writing; lines continue after any already stored. */
  public Writer open(UUID runId, int node, Redactor redactor) {
    Writer w = new Writer(runId, node, redactor, lastSeq(runId, node));
    open.add(w);
    return w;
  }

  /** The stored lines after {@code afterSeq} (blocking; call off the event loop). */
  public List<LogLine> read(UUID runId, int node, int afterSeq) {
    List<LogLine> lines = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select seq, at, line from "
                    + table
                    + " where run_id = ? and node_index = ? and seq > ? order by seq")) {
      s.setObject(1, runId);
      s.setInt(2, node);
      s.setInt(3, afterSeq);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.add(new LogLine(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the output of test run " + runId, e);
    }
    return lines;
  }

  /**
   * Every line of the node, then new ones as they are stored, until the run is over and nothing is
   * left to read. Runs on worker threads: it only uses JDBC.
   */
  public Multi<LogLine> follow(UUID runId, int node) {
    return Multi.createBy()
        .repeating()
        .uni(
            () -> new int[] {0},
            cursor ->
                Uni.createFrom()
                    .item(
                        () -> {
                          boolean over = isOver(runId);
                          List<LogLine> lines = read(runId, node, cursor[0]);
                          if (!lines.isEmpty()) {
                            cursor[0] = lines.get(lines.size() - 1).seq();
                          }
                          return new Batch(lines, over && lines.isEmpty());
                        })
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .onItem()
                    .call(
                        b ->
                            b.lines().isEmpty() && !b.last()
                                ? Uni.createFrom().voidItem().onItem().delayIt().by(POLL_EVERY)
                                : Uni.createFrom().voidItem()))
        .until(Batch::last)
        .onItem()
        .transformToIterable(Batch::lines);
  }

  /** Whether the run ended (or does not exist): read before the lines, so none is missed. */
  private boolean isOver(UUID runId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select status from " + runTable + " where id = ?")) {
      s.setObject(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        return !rs.next() || !ACTIVE.contains(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read test run " + runId, e);
    }
  }

  private record Batch(List<LogLine> lines, boolean last) {}

  private int lastSeq(UUID runId, int node) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select coalesce(max(seq), 0) from "
                    + table
                    + " where run_id = ? and node_index = ?")) {
      s.setObject(1, runId);
      s.setInt(2, node);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not open the output of test run " + runId, e);
    }
  }

  private void flushAll() {
    for (Writer w : open) {
      try {
        w.flush();
      } catch (RuntimeException e) {
        LOG.warnf("could not store output lines of test run %s: %s", w.runId, e.getMessage());
      }
    }
  }

  /** Appends lines to one node's output; thread-safe; {@link #close()} stores what is left. */
  public final class Writer implements AutoCloseable {

    private final UUID runId;
    private final int node;
    private final Redactor redactor;
    private final List<LogLine> pending = new ArrayList<>();
    private int seq;

    private Writer(UUID runId, int node, Redactor redactor, int lastSeq) {
      this.runId = runId;
      this.node = node;
      this.redactor = redactor;
      this.seq = lastSeq;
    }

    public void line(String text) {
      String clean = redactor.redact(text == null ? "" : text);
      if (clean.length() > MAX_LINE) {
        clean = clean.substring(0, MAX_LINE) + " [line truncated]";
      }
      synchronized (this) {
        pending.add(new LogLine(++seq, Instant.now(), clean));
      }
    }

    synchronized void flush() {
      if (pending.isEmpty()) {
        return;
      }
      try (Connection c = dataSource.getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "insert into "
                      + table
                      + " (run_id, node_index, seq, at, line) values (?, ?, ?, ?, ?)"
                      + " on conflict do nothing")) {
        for (LogLine l : pending) {
          s.setObject(1, runId);
          s.setInt(2, node);
          s.setInt(3, l.seq());
          s.setTimestamp(4, Timestamp.from(l.at()));
          s.setString(5, l.text().replace('\0', ' '));
          s.addBatch();
        }
        s.executeBatch();
        pending.clear();
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      open.remove(this);
      flush();
    }
  }
}

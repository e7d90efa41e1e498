package dev.slipway.platform.logs;

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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Output of what services run for users (build logs, test-node output): every line stored after
 * redaction so it survives restarts, written in small batches, and followed live by polling what is
 * stored until its owner (a build, a test run) is over. Only JDBC, so it runs on any thread.
 */
@ApplicationScoped
public class LineLogs {

  private static final Logger LOG = Logger.getLogger(LineLogs.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration FLUSH_EVERY = Duration.ofMillis(200);
  private static final Duration POLL_EVERY = Duration.ofMillis(250);
  private static final int MAX_LINE = 16 * 1024;

  /** Pending lines that make the writer store them at once, on the writing thread. */
  private static final int FLUSH_AT = 1000;

  private final DataSource dataSource;
  private final String schema;
  private final Set<Writer> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "log-line-flusher");
            t.setDaemon(true);
            return t;
          });

  public LineLogs(DataSource dataSource, @ConfigProperty(name = "slipway.schema") String schema) {
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("slipway.schema is not a plain identifier: " + schema);
    }
    this.dataSource = dataSource;
    this.schema = schema;
  }

  void onStop(@Observes ShutdownEvent event) {
    flushAll();
    flusher.shutdownNow();
  }

  /**
   * Opens a stream for writing; lines continue after any already stored. {@code redact} is applied
   * to every line before it is kept; past {@code cap} one truncation line is stored and the rest
   * discarded (the caller decides whether to stop the writer's process: {@link Writer#capped()}).
   */
  public Writer open(UUID owner, int stream, UnaryOperator<String> redact, OutputCap cap) {
    Writer w = new Writer(owner, stream, redact, cap, lastSeq(owner, stream));
    open.add(w);
    return w;
  }

  /** The stored lines of a stream after {@code afterSeq}. */
  public List<LogLine> read(UUID owner, int stream, int afterSeq) {
    List<LogLine> lines = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select seq, at, line from "
                    + schema
                    + ".log_line where owner_id = ? and stream = ? and seq > ? order by seq")) {
      s.setObject(1, owner);
      s.setInt(2, stream);
      s.setInt(3, afterSeq);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.add(new LogLine(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the output of " + owner, e);
    }
    return lines;
  }

  /**
   * Every line of the stream, then new ones as they are stored, until the owner's row in {@code
   * ownerTable} (this service's schema, column {@code status}) has left {@code activeStatuses} (or
   * is gone) and nothing is left to read.
   */
  public Multi<LogLine> follow(
      UUID owner, int stream, String ownerTable, Set<String> activeStatuses) {
    if (!IDENTIFIER.matcher(ownerTable).matches()) {
      throw new IllegalArgumentException("not a table name: " + ownerTable);
    }
    return Multi.createBy()
        .repeating()
        .uni(
            () -> new int[] {0},
            cursor ->
                Uni.createFrom()
                    .item(
                        () -> {
                          // Read the status before the lines, so no line written before the end is
                          // missed.
                          boolean over = !active(owner, ownerTable, activeStatuses);
                          List<LogLine> lines = read(owner, stream, cursor[0]);
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

  private record Batch(List<LogLine> lines, boolean last) {}

  private boolean active(UUID owner, String ownerTable, Set<String> activeStatuses) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select status from " + schema + "." + ownerTable + " where id = ?")) {
      s.setObject(1, owner);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && activeStatuses.contains(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the status of " + owner, e);
    }
  }

  private int lastSeq(UUID owner, int stream) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select coalesce(max(seq), 0) from "
                    + schema
                    + ".log_line where owner_id = ? and stream = ?")) {
      s.setObject(1, owner);
      s.setInt(2, stream);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not open the output of " + owner, e);
    }
  }

  private void flushAll() {
    for (Writer w : open) {
      try {
        w.flush();
      } catch (RuntimeException e) {
        LOG.warnf("could not store output lines of %s: %s", w.owner, e.getMessage());
      }
    }
  }

  /**
   * Appends lines to one stream; thread-safe; {@link #close()} stores what is left. Memory stays
   * bounded: past {@value #FLUSH_AT} pending lines the writing thread stores them itself (which
   * slows a chatty process down to the database's pace), and past the cap nothing is kept.
   */
  public final class Writer implements AutoCloseable {

    private final UUID owner;
    private final int stream;
    private final UnaryOperator<String> redact;
    private final OutputCap cap;
    private final List<LogLine> pending = new ArrayList<>();
    private boolean closed;
    private int seq;

    private Writer(
        UUID owner, int stream, UnaryOperator<String> redact, OutputCap cap, int lastSeq) {
      this.owner = owner;
      this.stream = stream;
      this.redact = redact;
      this.cap = cap;
      this.seq = lastSeq;
    }

    public void line(String text) {
      if (cap.reached()) {
        return;
      }
      String clean = redact.apply(text == null ? "" : text);
      if (clean.length() > MAX_LINE) {
        clean = clean.substring(0, MAX_LINE) + " [line truncated]";
      }
      String kept = cap.admit(clean);
      if (kept == null) {
        return;
      }
      synchronized (this) {
        pending.add(new LogLine(++seq, Instant.now(), kept));
        if (pending.size() == 1) {
          // A flush per batch of lines, scheduled by its first: nothing ticks while nothing is
          // written.
          scheduleFlush();
        } else if (pending.size() % FLUSH_AT == 0) {
          try {
            flush();
          } catch (RuntimeException e) {
            LOG.warnf("could not store output lines of %s: %s", owner, e.getMessage());
          }
        }
      }
    }

    /** Whether the cap was reached; what was written since is discarded. */
    public boolean capped() {
      return cap.reached();
    }

    /** {@code output over 4 MB} once capped, else null. */
    public String cappedReason() {
      return cap.reason();
    }

    private void scheduleFlush() {
      try {
        flusher.schedule(this::flushQuietly, FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // Shutting down: onStop stores what is pending.
      }
    }

    /** Stores the pending lines; when that fails, tries again later (they stay pending). */
    private synchronized void flushQuietly() {
      try {
        flush();
        if (closed) {
          open.remove(this);
        }
      } catch (RuntimeException e) {
        LOG.warnf("could not store output lines of %s: %s", owner, e.getMessage());
        scheduleFlush();
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
                      + schema
                      + ".log_line (owner_id, stream, seq, at, line) values (?, ?, ?, ?, ?)"
                      + " on conflict do nothing")) {
        for (LogLine l : pending) {
          s.setObject(1, owner);
          s.setInt(2, stream);
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

    /**
     * Stores what is left. When the database cannot take it now (restarting), the lines stay
     * pending and are stored later: the work that wrote them ended as it ended, and must not be
     * turned into an error by its log.
     */
    @Override
    public synchronized void close() {
      closed = true;
      try {
        flush();
        open.remove(this);
      } catch (RuntimeException e) {
        LOG.warnf("could not store output lines of %s yet: %s", owner, e.getMessage());
        scheduleFlush();
      }
    }
  }
}

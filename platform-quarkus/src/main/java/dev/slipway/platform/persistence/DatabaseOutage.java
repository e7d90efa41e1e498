package dev.slipway.platform.persistence;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a database that is away (restarting, unreachable, closing connections) from a failure of
 * the statement itself: the first passes once PostgreSQL is back, so work is retried rather than
 * errored or dead-lettered; the second would fail again.
 */
public final class DatabaseOutage {

  /** SQL states of PostgreSQL going away: admin, crash or starting-up shutdown. */
  private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

  /** Connection failures of the Vert.x client, named so this rule needs no client types. */
  private static final Set<String> CLOSED_CONNECTION_TYPES =
      Set.of(
          "io.vertx.sqlclient.ClosedConnectionException",
          "io.netty.channel.ConnectTimeoutException");

  private DatabaseOutage() {}

  /** Whether {@code failure}, or anything that caused it, says the database is away. */
  public static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || CLOSED_CONNECTION_TYPES.contains(t.getClass().getName())) {
        return true;
      }
      String state = sqlState(t);
      if (state != null && (state.startsWith("08") || SHUTDOWN_STATES.contains(state))) {
        return true;
      }
    }
    return false;
  }

  private static String sqlState(Throwable t) {
    if (t instanceof SQLException e) {
      return e.getSQLState();
    }
    if (t instanceof PgException e) {
      return e.getSqlState();
    }
    return null;
  }
}

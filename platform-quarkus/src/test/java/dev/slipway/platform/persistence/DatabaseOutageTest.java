package dev.slipway.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures mean "PostgreSQL is away, try again" and which mean "this statement fails". */
class DatabaseOutageTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("refused connection", new ConnectException("Connection refused"), true),
        Arguments.of(
            "refused connection wrapped by the client",
            new IllegalStateException(
                new RuntimeException(new ConnectException("Connection refused"))),
            true),
        Arguments.of("connection closed under a query", ClosedConnectionException.INSTANCE, true),
        Arguments.of(
            "JDBC connection failure (class 08)",
            new SQLException("Connection to 127.0.0.1:5432 refused", "08001"),
            true),
        Arguments.of(
            "administrator shut the server down",
            new PgException(
                "terminating connection due to administrator command", "FATAL", "57P01", null),
            true),
        Arguments.of(
            "server starting up",
            new PgException("the database system is starting up", "FATAL", "57P03", null),
            true),
        Arguments.of(
            "unique violation",
            new PgException("duplicate key value", "ERROR", "23505", null),
            false),
        Arguments.of("JDBC syntax error", new SQLException("syntax error", "42601"), false),
        Arguments.of("a bug", new IllegalStateException("no such build"), false),
        Arguments.of("JDBC failure without state", new SQLException("odd"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void anOutageIsToldFromAFailingStatement(String what, Throwable failure, boolean outage) {
    assertEquals(outage, DatabaseOutage.isOutage(failure), what);
  }
}

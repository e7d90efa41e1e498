package dev.slipway.testing.executor.local;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The local heroku-postgresql add-on for test runs: a fresh database on Slipway's own PostgreSQL,
 * owned by a login role made for it alone (the tests never get Slipway's credentials), dropped with
 * its role when the node ends.
 */
public final class TestDatabases {

  private static final Logger LOG = Logger.getLogger(TestDatabases.class);

  /** Every database and role made here starts with it: the startup sweep relies on that. */
  static final String PREFIX = "slipway_ci_";

  private static final Pattern NAME = Pattern.compile(PREFIX + "[0-9a-f]{32}_[0-9]{1,4}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final String host;
  private final int port;

  /**
   * @param jdbcUrl Slipway's own {@code jdbc:postgresql://host:port/db} URL: tests connect to the
   *     same server
   */
  public TestDatabases(DataSource dataSource, String jdbcUrl) {
    this.dataSource = dataSource;
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    this.host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    this.port = uri.getPort() < 0 ? 5432 : uri.getPort();
  }

  /** A database made for one node, and the DATABASE_URL reaching it. */
  public record TestDatabase(String name, String url) {
    @Override
    public String toString() {
      return "TestDatabase[" + name + "]";
    }
  }

  /** Creates the database and its owner role for node {@code index} of run {@code runId}. */
  public TestDatabase create(UUID runId, int index) throws SQLException {
    String name = PREFIX + runId.toString().replace("-", "") + "_" + index;
    // Only hex digits: the password is written into DDL, which takes no bind parameters.
    String password = HexFormat.of().formatHex(bytes());
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("create role " + quoted(name) + " login password '" + password + "'");
      s.execute("create database " + quoted(name) + " owner " + quoted(name));
      s.execute("revoke all on database " + quoted(name) + " from public");
    } catch (SQLException e) {
      drop(name);
      throw e;
    }
    String url =
        "postgres://"
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + ":"
            + password
            + "@"
            + host
            + ":"
            + port
            + "/"
            + name;
    return new TestDatabase(name, url);
  }

  /** Drops the database (even while the tests' processes are still connected) and its role. */
  public void drop(TestDatabase database) {
    drop(database.name());
  }

  /** Drops every test database and role a stopped instance left behind. */
  public int sweep() {
    List<String> names = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select datname from pg_database where datname like 'slipway\\_ci\\_%'"
                    + " union select rolname from pg_roles where rolname like 'slipway\\_ci\\_%'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      LOG.warnf("could not list abandoned test databases: %s", e.getMessage());
      return 0;
    }
    names.forEach(this::drop);
    return names.size();
  }

  private void drop(String name) {
    if (!NAME.matcher(name).matches()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("drop database if exists " + quoted(name) + " with (force)");
      s.execute("drop role if exists " + quoted(name));
    } catch (SQLException e) {
      LOG.warnf("could not drop test database %s: %s", name, e.getMessage());
    }
  }

  private static byte[] bytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String quoted(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a test database name: " + name);
    }
    return '"' + name + '"';
  }
}

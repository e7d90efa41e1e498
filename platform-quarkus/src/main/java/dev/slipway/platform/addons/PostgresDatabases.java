package dev.slipway.platform.addons;

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
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The local heroku-postgresql add-on (test runs, review apps): a fresh database on Slipway's own
 * PostgreSQL, owned by a login role made for it alone (user code never gets Slipway's credentials),
 * dropped with its role when no longer needed.
 */
public final class PostgresDatabases {

  private static final Logger LOG = Logger.getLogger(PostgresDatabases.class);
  private static final Pattern PREFIX_SHAPE = Pattern.compile("slipway_[a-z]+_");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final String prefix;
  private final Pattern names;
  private final String host;
  private final int port;

  /**
   * @param prefix every database and role made here starts with it (e.g. {@code slipway_ci_}): the
   *     startup sweep relies on that
   * @param jdbcUrl Slipway's own {@code jdbc:postgresql://host:port/db} URL: user code connects to
   *     the same server
   */
  public PostgresDatabases(DataSource dataSource, String prefix, String jdbcUrl) {
    if (!PREFIX_SHAPE.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix must look like slipway_<word>_: " + prefix);
    }
    this.dataSource = dataSource;
    this.prefix = prefix;
    this.names = Pattern.compile(Pattern.quote(prefix) + "[0-9a-z_]{1,40}");
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    this.host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    this.port = uri.getPort() < 0 ? 5432 : uri.getPort();
  }

  /**
   * A database made for one user of the add-on (its owner role has the same name), the role's
   * password, and the DATABASE_URL reaching it over TCP.
   */
  public record Database(String name, String password, String url) {
    @Override
    public String toString() {
      return "Database[" + name + "]";
    }
  }

  /**
   * Creates the database {@code <prefix><suffix>} and its owner role; {@code suffix} is lower-case
   * letters, digits and underscores.
   */
  public Database create(String suffix) throws SQLException {
    String name = prefix + suffix;
    quoted(name);
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
    return new Database(name, password, url);
  }

  /**
   * Opens a Unix socket through which code in a network namespace of its own (a sandboxed test
   * node) reaches {@code database}, and only it; close it before dropping the database.
   */
  public PostgresSocketProxy socket(Database database) throws java.io.IOException {
    return PostgresSocketProxy.open(database, host, port);
  }

  /** Drops the database (even while user processes are still connected) and its role. */
  public void drop(Database database) {
    drop(database.name());
  }

  /** Drops the database named {@code name} (made here) and its role. */
  public void drop(String name) {
    if (!names.matcher(name).matches()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("drop database if exists " + quoted(name) + " with (force)");
      s.execute("drop role if exists " + quoted(name));
    } catch (SQLException e) {
      LOG.warnf("could not drop database %s: %s", name, e.getMessage());
    }
  }

  /** The names of every database and role with this prefix; empty when they cannot be listed. */
  public List<String> existing() {
    List<String> names = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select datname from pg_database where datname like '"
                    + like()
                    + "' union select rolname from pg_roles where rolname like '"
                    + like()
                    + "'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      LOG.warnf("could not list %s databases: %s", prefix, e.getMessage());
    }
    return names;
  }

  private static byte[] bytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  /** The prefix as a LIKE pattern: its underscores are literal. */
  private String like() {
    return prefix.replace("_", "\\_") + "%";
  }

  private String quoted(String name) {
    if (!names.matcher(name).matches()) {
      throw new IllegalArgumentException("not a database made here: " + name);
    }
    return '"' + name + '"';
  }
}

package dev.slipway.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 17 server from the zonky binaries, with its cluster in a data directory that
 * survives restarts. Runs as a child process (as an unprivileged user namespace when we are root).
 */
public final class LocalPostgres implements AutoCloseable {

  /** The superuser that owns everything; the server trusts loopback connections. */
  public static final String USER = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final EmbeddedPostgres server;

  private LocalPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Starts (initialising on first use) a cluster in {@code dataDir} listening on {@code port} (0
   * picks a free one). With {@code durable} false, fsync is off: fine for throw-away test data.
   */
  public static LocalPostgres start(Path dataDir, int port, boolean durable, Duration timeout) {
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPGStartupWait(timeout)
              .setServerConfig("max_connections", "300")
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setOutputRedirector(
                  ProcessBuilder.Redirect.appendTo(
                      dataDir.resolveSibling("postgres.log").toFile()));
      if (port != 0) {
        builder.setPort(port);
      }
      if (!durable) {
        builder
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off");
      }
      return new LocalPostgres(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return server.getPort();
  }

  /** A JDBC URL for {@code database} as the superuser. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
  }

  /** Creates {@code database} unless it exists; the name must be a plain lowercase identifier. */
  public void createDatabaseIfMissing(String database) {
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("invalid database name: " + database);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + database);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  /** Stops the server (fast shutdown: open transactions roll back, committed data stays). */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop PostgreSQL", e);
    }
  }
}

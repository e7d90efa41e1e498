package dev.slipway.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 17 server from the zonky binaries, with its cluster in a data directory that
 * survives restarts, listening on 127.0.0.1 only and accepting password (SCRAM) logins only. Runs
 * as a child process (as an unprivileged user namespace when we are root).
 */
public final class LocalPostgres implements AutoCloseable {

  /** The superuser; its password is generated at first start and kept in {@link #credentials}. */
  public static final String USER = "postgres";

  /**
   * Rewritten at every start: no {@code trust} line, so a process of the same machine that does not
   * know a password gets nothing (zonky's initdb writes {@code trust} for everyone).
   */
  static final String PG_HBA =
      """
      # Written by Slipway at every start: password (SCRAM) logins only, loopback only.
      local   all  all                 scram-sha-256
      host    all  all  127.0.0.1/32   scram-sha-256
      host    all  all  ::1/128        scram-sha-256
      """;

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EmbeddedPostgres server;
  private final Path credentials;

  private LocalPostgres(EmbeddedPostgres server, Path credentials) {
    this.server = server;
    this.credentials = credentials;
  }

  /** Where the passwords of the superuser and of every role made here are kept (0600). */
  public static Path credentialsFile(Path dataDir) {
    return dataDir.resolveSibling("postgres-credentials.properties");
  }

  /** This server's {@link #credentialsFile(Path) credentials file}. */
  public Path credentialsFile() {
    return credentials;
  }

  /**
   * Starts (initialising on first use) a cluster in {@code dataDir} listening on {@code port} (0
   * picks a free one). With {@code durable} false, fsync is off: fine for throw-away test data.
   */
  public static LocalPostgres start(Path dataDir, int port, boolean durable, Duration timeout) {
    Path credentials = credentialsFile(dataDir);
    try {
      PrivateFiles.directory(dataDir.toAbsolutePath().getParent());
      String superuserPassword = password(credentials, USER);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPGStartupWait(timeout)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("password_encryption", "scram-sha-256")
              // zonky checks readiness as the superuser: with the password once pg_hba wants one.
              .setConnectConfig("password", superuserPassword)
              .setOutputRedirector(
                  ProcessBuilder.Redirect.appendTo(
                      dataDir.resolveSibling("postgres.log").toFile()));
      if (port != 0) {
        builder.setPort(port);
      }
      if (durable) {
        // zonky always starts the postmaster with -F (fsync off) and defaults synchronous_commit
        // to off; a later -c wins over -F, so a user's data directory survives a power loss.
        builder
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            // Sized to one platform: four services' pools (JDBC 4, reactive 16, the outbox
            // relay's listener) are at most 84 connections; a few MB of cache hold its data.
            .setServerConfig("max_connections", "120")
            .setServerConfig("shared_buffers", "32MB");
      } else {
        builder
            // Many test applications share one throw-away cluster.
            .setServerConfig("max_connections", "300")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off");
      }
      LocalPostgres postgres = new LocalPostgres(builder.start(), credentials);
      postgres.requirePasswords(dataDir, superuserPassword);
      return postgres;
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

  /** A JDBC URL for {@code database} (credentials go separately). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
  }

  /** The superuser's password. */
  public String superuserPassword() {
    return password(credentials, USER);
  }

  /**
   * Sets the superuser's password, then replaces the trust-everyone pg_hba.conf initdb wrote with
   * {@link #PG_HBA} and reloads it; done at every start so an older cluster is secured too.
   */
  private void requirePasswords(Path dataDir, String superuserPassword) throws IOException {
    try (Connection c = superuser("postgres");
        Statement s = c.createStatement()) {
      s.execute("ALTER ROLE " + USER + " PASSWORD '" + superuserPassword + "'");
      // Nobody but the roles granted it below may connect to the maintenance database.
      s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC");
      Path hba = dataDir.resolve("pg_hba.conf");
      if (!Files.isRegularFile(hba) || !Files.readString(hba).equals(PG_HBA)) {
        PrivateFiles.write(hba, PG_HBA);
        s.execute("SELECT pg_reload_conf()");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not secure PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code role} a login role with its own password (generated once, kept in the credentials
   * file), allowed to connect to {@code database} and owning the schema of the same name there,
   * with every object in it (an older installation's schema was the superuser's). Other roles get
   * no right on that schema. With {@code createsDatabases} the role may also create databases and
   * roles (the heroku-postgresql add-on), and becomes a member of the roles it creates so it can
   * make them owners of their databases and drop both again.
   *
   * @return the role's password
   */
  public String ensureSchemaRole(String database, String role, boolean createsDatabases) {
    requireIdentifier(database);
    requireIdentifier(role);
    String password = password(credentials, role);
    String options =
        createsDatabases
            ? " LOGIN NOSUPERUSER CREATEDB CREATEROLE"
            : " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE";
    try (Connection c = superuser(database);
        Statement s = c.createStatement()) {
      boolean exists;
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
        exists = rs.next();
      }
      s.execute(
          (exists ? "ALTER ROLE " : "CREATE ROLE ")
              + role
              + (exists ? " WITH" : "")
              + options
              + " PASSWORD '"
              + password
              + "'");
      if (createsDatabases) {
        s.execute("ALTER ROLE " + role + " SET createrole_self_grant = 'set, inherit'");
      } else {
        s.execute("ALTER ROLE " + role + " RESET createrole_self_grant");
      }
      s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + role);
      s.execute("CREATE SCHEMA IF NOT EXISTS " + role + " AUTHORIZATION " + role);
      s.execute("ALTER SCHEMA " + role + " OWNER TO " + role);
      s.execute("REVOKE ALL ON SCHEMA " + role + " FROM PUBLIC");
      s.execute(
          """
          DO $$
          DECLARE r record;
          BEGIN
            FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                WHERE c.relnamespace = '%1$s'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND pg_get_userbyid(c.relowner) <> '%1$s' LOOP
              EXECUTE format('ALTER TABLE %%s OWNER TO %%I', r.name, '%1$s');
            END LOOP;
            FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                WHERE c.relnamespace = '%1$s'::regnamespace AND c.relkind = 'S'
                  AND pg_get_userbyid(c.relowner) <> '%1$s'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
              EXECUTE format('ALTER SEQUENCE %%s OWNER TO %%I', r.name, '%1$s');
            END LOOP;
            FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                WHERE p.pronamespace = '%1$s'::regnamespace
                  AND pg_get_userbyid(p.proowner) <> '%1$s' LOOP
              EXECUTE format('ALTER ROUTINE %%s OWNER TO %%I', r.name, '%1$s');
            END LOOP;
          END $$
          """
              .formatted(role));
    } catch (SQLException e) {
      throw new IllegalStateException("could not set up role " + role + ": " + e.getMessage(), e);
    }
    return password;
  }

  /**
   * Creates {@code database} unless it exists; the name must be a plain lowercase identifier. Only
   * roles granted it (see {@link #ensureSchemaRole}) may connect to it.
   */
  public void createDatabaseIfMissing(String database) {
    requireIdentifier(database);
    try (Connection c = superuser("postgres");
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
        create.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  private Connection superuser(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, superuserPassword());
  }

  private static void requireIdentifier(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid database or role name: " + name);
    }
  }

  /**
   * The password of {@code role} from the credentials file, generated and saved on first use: hex
   * digits only, since it is written into DDL, which takes no bind parameters.
   */
  private static synchronized String password(Path credentials, String role) {
    Map<String, String> known = PrivateFiles.readProperties(credentials);
    String password = known.get(role);
    if (password == null || password.isBlank()) {
      byte[] bytes = new byte[24];
      RANDOM.nextBytes(bytes);
      password = HexFormat.of().formatHex(bytes);
      known.put(role, password);
      PrivateFiles.writeProperties(
          credentials, known, "PostgreSQL passwords of Slipway's roles: keep private");
    }
    return password;
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

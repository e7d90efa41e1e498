package dev.slipway.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

/**
 * Kafka and PostgreSQL for one machine, started side by side in one data directory: what tests and
 * {@code slipway up} run on. Each part can instead point at an external server.
 */
public final class LocalInfrastructure implements AutoCloseable {

  /** The database every service keeps its own schema in. */
  public static final String DATABASE = "slipway";

  /** Each service's schema in {@value #DATABASE}, which is also the name of its login role. */
  public static final List<String> SERVICE_SCHEMAS =
      List.of("build_service", "test_service", "deploy_service", "promotion_service");

  /** The services that make heroku-postgresql add-on databases (test runs, review apps). */
  static final Set<String> ADDON_PROVIDERS = Set.of("test_service", "deploy_service");

  /** A PostgreSQL user and its password. */
  public record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[" + user + "]";
    }
  }

  private final KafkaBroker kafka;
  private final LocalPostgres postgres;
  private final String bootstrapServers;
  private final KafkaCredentials kafkaCredentials;
  private final String jdbcUrl;
  private final Duration startup;
  private final Map<String, Login> serviceLogins;
  private final Login admin;

  private LocalInfrastructure(
      KafkaBroker kafka,
      LocalPostgres postgres,
      String bootstrapServers,
      KafkaCredentials kafkaCredentials,
      String jdbcUrl,
      Duration startup,
      Map<String, Login> serviceLogins,
      Login admin) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.bootstrapServers = bootstrapServers;
    this.kafkaCredentials = kafkaCredentials;
    this.jdbcUrl = jdbcUrl;
    this.startup = startup;
    this.serviceLogins = serviceLogins;
    this.admin = admin;
  }

  /**
   * How to start: where data lives, ports, and optional external servers. {@code
   * externalKafkaCredentials} is the credentials file of an external broker that a Slipway process
   * started (null: the external broker needs no authentication).
   */
  public record Options(
      Path dataDir,
      int kafkaPort,
      int postgresPort,
      boolean durable,
      String externalKafka,
      Path externalKafkaCredentials,
      String externalPostgresJdbcUrl,
      Duration timeout) {

    /** Throw-away infrastructure on free ports, honouring the external-server variables. */
    public static Options forTests(Path dataDir) {
      return new Options(
          dataDir,
          0,
          0,
          false,
          System.getenv("SLIPWAY_KAFKA_BOOTSTRAP_SERVERS"),
          null,
          System.getenv("SLIPWAY_POSTGRES_JDBC_URL"),
          Duration.ofSeconds(90));
    }
  }

  /**
   * Starts what is not external, in parallel, then creates the database, the topics and the
   * services' Kafka ACLs.
   */
  public static LocalInfrastructure start(Options options) {
    long t0 = System.nanoTime();
    CompletableFuture<KafkaBroker> kafka =
        blank(options.externalKafka())
            ? CompletableFuture.supplyAsync(
                () ->
                    KafkaBroker.start(
                        options.dataDir().resolve("kafka"), options.kafkaPort(), options.timeout()))
            : CompletableFuture.completedFuture(null);
    LocalPostgres postgres = null;
    String jdbcUrl = options.externalPostgresJdbcUrl();
    Map<String, Login> logins = new LinkedHashMap<>();
    try {
      if (blank(jdbcUrl)) {
        postgres =
            LocalPostgres.start(
                options.dataDir().resolve("postgres"),
                options.postgresPort(),
                options.durable(),
                options.timeout());
        postgres.createDatabaseIfMissing(DATABASE);
        jdbcUrl = postgres.jdbcUrl(DATABASE);
        for (String schema : SERVICE_SCHEMAS) {
          logins.put(
              schema,
              new Login(
                  schema,
                  postgres.ensureSchemaRole(DATABASE, schema, ADDON_PROVIDERS.contains(schema))));
        }
      }
      KafkaBroker broker = kafka.join();
      String bootstrap = broker != null ? broker.bootstrapServers() : options.externalKafka();
      KafkaCredentials credentials =
          broker != null
              ? broker.credentials()
              : options.externalKafkaCredentials() != null
                  ? KafkaCredentials.open(options.externalKafkaCredentials())
                  : null;
      LocalInfrastructure infra =
          new LocalInfrastructure(
              broker,
              postgres,
              bootstrap,
              credentials,
              jdbcUrl,
              Duration.ofNanos(System.nanoTime() - t0),
              Map.copyOf(logins),
              null);
      TopicProvisioner topics = infra.topics();
      topics.ensureTopics();
      if (credentials != null) {
        topics.grant(KafkaAccess.SERVICES.stream().flatMap(a -> a.bindings().stream()).toList());
      }
      return infra;
    } catch (RuntimeException e) {
      kafka.thenAccept(b -> b.close());
      if (postgres != null) {
        postgres.close();
      }
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The Kafka client properties that connect as {@code principal}: {@code bootstrap.servers} and,
   * unless the broker is an external one without authentication, the SASL/SCRAM login.
   */
  public Map<String, Object> kafkaClientConfig(String principal) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (kafkaCredentials != null) {
      config.putAll(kafkaCredentials.clientConfig(principal));
    }
    return config;
  }

  /**
   * {@link #kafkaClientConfig} as Quarkus configuration of a service: every key prefixed with
   * {@code kafka.}, which the messaging connector, the health check and the outbox relay all read.
   * {@code kafka.sasl.jaas.config} holds the password: pass it as a secret, never on a command
   * line.
   */
  public Map<String, String> serviceKafkaConfig(String principal) {
    Map<String, String> config = new TreeMap<>();
    kafkaClientConfig(principal).forEach((k, v) -> config.put("kafka." + k, String.valueOf(v)));
    return config;
  }

  /** Provisions topics and ACLs as the platform's admin. */
  public TopicProvisioner topics() {
    return new TopicProvisioner(kafkaClientConfig(KafkaCredentials.ADMIN), 3, (short) 1);
  }

  /**
   * Creates (or updates) the SCRAM login of {@code principal} with a generated password and grants
   * it {@code acls}; nothing happens on an external broker without authentication.
   */
  public void addKafkaPrincipal(String principal, List<AclBinding> acls) {
    if (kafkaCredentials == null) {
      return;
    }
    try (Admin admin = Admin.create(kafkaClientConfig(KafkaCredentials.ADMIN))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      principal,
                      new ScramCredentialInfo(
                          ScramMechanism.SCRAM_SHA_256, KafkaBroker.SCRAM_ITERATIONS),
                      kafkaCredentials.password(principal))))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create the Kafka principal " + principal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating a Kafka principal", e);
    }
    topics().grant(acls);
  }

  /** The file holding the Kafka principals' passwords, or null without authentication. */
  public Path kafkaCredentialsFile() {
    return kafkaCredentials == null ? null : kafkaCredentials.file();
  }

  /** JDBC URL of the {@value #DATABASE} database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * The administrator for {@link #jdbcUrl()}: the embedded server's superuser; external servers
   * take theirs from {@code SLIPWAY_POSTGRES_USER} / {@code _PASSWORD}.
   */
  public String user() {
    if (admin != null) {
      return admin.user();
    }
    return postgres != null ? LocalPostgres.USER : envOr("SLIPWAY_POSTGRES_USER", "postgres");
  }

  public String password() {
    if (admin != null) {
      return admin.password();
    }
    return postgres != null ? postgres.superuserPassword() : envOr("SLIPWAY_POSTGRES_PASSWORD", "");
  }

  /**
   * The PostgreSQL credentials file of the embedded server (0600), empty for an external one: lets
   * another class loader of this JVM attach with {@link #withLoginsFrom}.
   */
  public java.util.Optional<Path> postgresCredentials() {
    return java.util.Optional.ofNullable(postgres).map(LocalPostgres::credentialsFile);
  }

  /**
   * This (external) infrastructure with the logins of an embedded server started elsewhere in this
   * JVM, read from its {@link #postgresCredentials() credentials file}.
   */
  public LocalInfrastructure withLoginsFrom(Path credentialsFile) {
    Map<String, String> passwords = PrivateFiles.readProperties(credentialsFile);
    Map<String, Login> logins = new LinkedHashMap<>();
    for (String schema : SERVICE_SCHEMAS) {
      if (passwords.containsKey(schema)) {
        logins.put(schema, new Login(schema, passwords.get(schema)));
      }
    }
    return new LocalInfrastructure(
        kafka,
        postgres,
        bootstrapServers,
        kafkaCredentials,
        jdbcUrl,
        startup,
        Map.copyOf(logins),
        new Login(LocalPostgres.USER, passwords.getOrDefault(LocalPostgres.USER, "")));
  }

  /**
   * The login a service connects with: on the embedded server its own role, which owns its schema
   * and nothing else; on an external server the administrator above.
   */
  public Login serviceLogin(String schema) {
    if (!SERVICE_SCHEMAS.contains(schema)) {
      throw new IllegalArgumentException("not a service schema: " + schema);
    }
    return serviceLogins.getOrDefault(schema, new Login(user(), password()));
  }

  /** How long starting everything took. */
  public Duration startup() {
    return startup;
  }

  /** Stops Kafka and PostgreSQL at the same time: neither needs the other to shut down. */
  @Override
  public void close() {
    java.util.concurrent.CompletableFuture<Void> broker =
        kafka == null
            ? java.util.concurrent.CompletableFuture.completedFuture(null)
            : java.util.concurrent.CompletableFuture.runAsync(kafka::close);
    try {
      if (postgres != null) {
        postgres.close();
      }
    } finally {
      broker.join();
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return blank(v) ? fallback : v;
  }
}

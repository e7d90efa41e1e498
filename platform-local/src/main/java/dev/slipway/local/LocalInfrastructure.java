package dev.slipway.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Kafka and PostgreSQL for one machine, started side by side in one data directory: what tests and
 * {@code slipway up} run on. Each part can instead point at an external server.
 */
public final class LocalInfrastructure implements AutoCloseable {

  /** The database every service keeps its own schema in. */
  public static final String DATABASE = "slipway";

  private final KafkaBroker kafka;
  private final LocalPostgres postgres;
  private final String bootstrapServers;
  private final String jdbcUrl;
  private final Duration startup;

  private LocalInfrastructure(
      KafkaBroker kafka,
      LocalPostgres postgres,
      String bootstrapServers,
      String jdbcUrl,
      Duration startup) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.bootstrapServers = bootstrapServers;
    this.jdbcUrl = jdbcUrl;
    this.startup = startup;
  }

  /** How to start: where data lives, ports, and optional external servers. */
  public record Options(
      Path dataDir,
      int kafkaPort,
      int postgresPort,
      boolean durable,
      String externalKafka,
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
          System.getenv("SLIPWAY_POSTGRES_JDBC_URL"),
          Duration.ofSeconds(90));
    }
  }

  /** Starts what is not external, in parallel, then creates the database and the topics. */
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
      }
      KafkaBroker broker = kafka.join();
      String bootstrap = broker != null ? broker.bootstrapServers() : options.externalKafka();
      new TopicProvisioner(bootstrap, 3, (short) 1).ensureTopics();
      return new LocalInfrastructure(
          broker, postgres, bootstrap, jdbcUrl, Duration.ofNanos(System.nanoTime() - t0));
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

  /** JDBC URL of the {@value #DATABASE} database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user for {@link #jdbcUrl()}; external servers take theirs from the URL or environment. */
  public String user() {
    return postgres != null ? LocalPostgres.USER : envOr("SLIPWAY_POSTGRES_USER", "postgres");
  }

  public String password() {
    return postgres != null ? "" : envOr("SLIPWAY_POSTGRES_PASSWORD", "");
  }

  /** How long starting everything took. */
  public Duration startup() {
    return startup;
  }

  @Override
  public void close() {
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
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

package dev.slipway.testkit;

import dev.slipway.local.KafkaAccess;
import dev.slipway.local.LocalInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Starts a real Kafka broker and a real PostgreSQL once per test JVM, and points the Quarkus
 * application under test at them. {@code SLIPWAY_KAFKA_BOOTSTRAP_SERVERS} and {@code
 * SLIPWAY_POSTGRES_JDBC_URL} (with {@code SLIPWAY_POSTGRES_USER} / {@code _PASSWORD}) use external
 * servers instead.
 */
public class SlipwayInfrastructure implements QuarkusTestResourceLifecycleManager {

  /** The bootstrap admin token every service under test accepts. */
  public static final String ADMIN_TOKEN = "slp_test-admin-token";

  /** The platform key sealing pipeline secrets in tests (base64 of 32 fixed bytes). */
  public static final String SECRETS_KEY = "c2xpcHdheS10ZXN0LXNlY3JldHMta2V5LTMyYnl0ZXM=";

  // Quarkus loads test resources and test classes in different class loaders, so the endpoints are
  // shared through system properties: a second caller attaches instead of starting a second stack.
  private static final String KAFKA_PROPERTY = "slipway.test.kafka.bootstrap-servers";
  private static final String KAFKA_CREDENTIALS_PROPERTY = "slipway.test.kafka.credentials-file";
  private static final String JDBC_PROPERTY = "slipway.test.postgres.jdbc-url";
  private static final String CREDENTIALS_PROPERTY = "slipway.test.postgres.credentials";

  /**
   * The Kafka principal of test harnesses ({@link TestEvents}, {@link TopicProbe}, applications
   * that are not one of the services): it may read and write every topic, and administer nothing.
   */
  public static final String TEST_PRINCIPAL = "slipway-testkit";

  private static LocalInfrastructure infrastructure;

  /** The running infrastructure, starting it on first use in this JVM. */
  public static synchronized LocalInfrastructure get() {
    if (infrastructure == null && System.getProperty(KAFKA_PROPERTY) != null) {
      infrastructure =
          LocalInfrastructure.start(
              new LocalInfrastructure.Options(
                  null,
                  0,
                  0,
                  false,
                  System.getProperty(KAFKA_PROPERTY),
                  Optional.ofNullable(System.getProperty(KAFKA_CREDENTIALS_PROPERTY))
                      .map(Path::of)
                      .orElse(null),
                  System.getProperty(JDBC_PROPERTY),
                  Duration.ofSeconds(30)));
      String credentials = System.getProperty(CREDENTIALS_PROPERTY);
      if (credentials != null) {
        infrastructure = infrastructure.withLoginsFrom(Path.of(credentials));
      }
    }
    if (infrastructure == null) {
      Path dataDir = tempDir();
      LocalInfrastructure started =
          LocalInfrastructure.start(LocalInfrastructure.Options.forTests(dataDir));
      System.out.printf(
          "Slipway test infrastructure ready in %d ms: Kafka %s, PostgreSQL %s (data in %s)%n",
          started.startup().toMillis(), started.bootstrapServers(), started.jdbcUrl(), dataDir);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    deleteRecursively(dataDir);
                  },
                  "slipway-test-infrastructure-stop"));
      started.addKafkaPrincipal(TEST_PRINCIPAL, KafkaAccess.everyTopicAndGroup(TEST_PRINCIPAL));
      System.setProperty(KAFKA_PROPERTY, started.bootstrapServers());
      if (started.kafkaCredentialsFile() != null) {
        System.setProperty(KAFKA_CREDENTIALS_PROPERTY, started.kafkaCredentialsFile().toString());
      }
      System.setProperty(JDBC_PROPERTY, started.jdbcUrl());
      started
          .postgresCredentials()
          .ifPresent(file -> System.setProperty(CREDENTIALS_PROPERTY, file.toString()));
      infrastructure = started;
    }
    return infrastructure;
  }

  /**
   * The Quarkus configuration that connects an application to {@code infra}: to Kafka as principal
   * {@code application} if it is one of the services, else as {@link #TEST_PRINCIPAL}; to
   * PostgreSQL with the role of its own {@code slipway.schema}, picked by a config expression, or
   * as the administrator for an application that is not a service.
   */
  public static Map<String, String> serviceConfig(LocalInfrastructure infra, String application) {
    Map<String, String> config = new HashMap<>();
    config.putAll(infra.serviceKafkaConfig(kafkaPrincipal(application)));
    config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl());
    config.put("quarkus.datasource.reactive.url", infra.jdbcUrl().substring("jdbc:".length()));
    boolean passwords = true;
    for (String schema : LocalInfrastructure.SERVICE_SCHEMAS) {
      LocalInfrastructure.Login login = infra.serviceLogin(schema);
      config.put("slipway.test.db." + schema + ".user", login.user());
      config.put("slipway.test.db." + schema + ".password", login.password());
      passwords &= !login.password().isEmpty();
    }
    // An application that is not one of the services (the system tests' observer) has no role of
    // its own: it falls back to the administrator.
    config.put(
        "quarkus.datasource.username",
        "${slipway.test.db.${slipway.schema}.user:" + infra.user() + "}");
    if (passwords) {
      config.put(
          "quarkus.datasource.password",
          "${slipway.test.db.${slipway.schema}.password:" + infra.password() + "}");
    }
    config.put("slipway.auth.admin-token", ADMIN_TOKEN);
    config.put("slipway.secrets.key", SECRETS_KEY);
    config.put("slipway.data-dir", dataDir().toString());
    return config;
  }

  /** Kafka client properties (bootstrap servers and login) of {@link #TEST_PRINCIPAL}. */
  public static Map<String, Object> testClientConfig() {
    return get().kafkaClientConfig(TEST_PRINCIPAL);
  }

  @Override
  public Map<String, String> start() {
    return serviceConfig(get(), applicationName());
  }

  private static String kafkaPrincipal(String application) {
    return KafkaAccess.SERVICES.stream()
        .map(KafkaAccess::principal)
        .filter(p -> p.equals(application))
        .findFirst()
        .orElse(TEST_PRINCIPAL);
  }

  /** The {@code quarkus.application.name} of the module under test, from its classpath. */
  private static String applicationName() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      for (URL url : Collections.list(loader.getResources("application.properties"))) {
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
          properties.load(in);
        }
        String name = properties.getProperty("quarkus.application.name");
        if (name != null) {
          return name;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "";
  }

  @Override
  public void stop() {
    // Shared by every test class of this JVM; the shutdown hook stops it.
  }

  /**
   * One data directory per test JVM for the services' artifacts and workspaces, shared by services
   * started from this JVM (as in local mode); removed at exit.
   */
  public static Path dataDir() {
    Path dir =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "slipway-test-data-" + ProcessHandle.current().pid());
    if (Files.notExists(dir)) {
      try {
        Files.createDirectories(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  private static Path tempDir() {
    try {
      Path base = Path.of(System.getProperty("java.io.tmpdir"));
      return Files.createTempDirectory(base, "slipway-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: the directory is under java.io.tmpdir
    }
  }
}

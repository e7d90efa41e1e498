package dev.slipway.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker running in a child JVM, with its data in a directory that
 * survives restarts.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final String CLASSPATH_RESOURCE = "dev/slipway/local/kafka-broker.classpath";

  /** PBKDF2 iterations of the stored SCRAM credentials (Kafka's minimum and usual value). */
  static final int SCRAM_ITERATIONS = 4096;

  private final Process process;
  private final int port;
  private final Path dataDir;
  private final KafkaCredentials credentials;

  private KafkaBroker(Process process, int port, Path dataDir, KafkaCredentials credentials) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
    this.credentials = credentials;
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) storing its logs in {@code dataDir}, and
   * returns once it answers metadata requests. Every listener is on 127.0.0.1 and authenticated:
   * clients with SCRAM as {@link KafkaCredentials#ADMIN} or one principal per service ({@link
   * KafkaAccess#SERVICES}), whose passwords are kept in {@code credentials.properties}.
   */
  public static KafkaBroker start(Path dataDir, int port, Duration timeout) {
    try {
      Files.createDirectories(dataDir);
      int brokerPort = port == 0 ? FreePorts.pick() : port;
      int controllerPort = FreePorts.pick();
      Path logDir = dataDir.resolve("logs");
      Path credentialsFile = dataDir.resolve("credentials.properties");
      if (Files.exists(logDir.resolve("meta.properties")) && !Files.exists(credentialsFile)) {
        throw new IllegalStateException(
            "the Kafka data in "
                + logDir
                + " predates Kafka authentication and has no admin login: remove "
                + dataDir
                + " to recreate it (its events are lost; the services' databases are not)");
      }
      KafkaCredentials credentials = KafkaCredentials.open(credentialsFile);
      for (String principal : scramPrincipals()) {
        credentials.password(principal);
      }
      Path config = dataDir.resolve("server.properties");
      // It holds the admin's and the controller's passwords: readable by the platform user only.
      PrivateFiles.write(config, serverProperties(brokerPort, controllerPort, logDir, credentials));
      Path log4j = dataDir.resolve("log4j2.properties");
      Files.writeString(log4j, LOG4J_CONFIG);
      Path brokerLog = dataDir.resolve("broker.log");

      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          List.of(
              "-Xms32m",
              "-Xmx192m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Djava.awt.headless=true",
              "-Dlog4j2.configurationFile=" + log4j.toUri(),
              "-cp",
              brokerClasspath(),
              KafkaBrokerMain.class.getName(),
              config.toString(),
              clusterId(dataDir),
              logDir.toString(),
              credentialsFile.toString()));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
              .start();
      KafkaBroker broker = new KafkaBroker(process, brokerPort, dataDir, credentials);
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
      broker.awaitReady(timeout);
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the Kafka broker in " + dataDir, e);
    }
  }

  /** The {@code bootstrap.servers} value clients use. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The passwords of the broker's principals. */
  public KafkaCredentials credentials() {
    return credentials;
  }

  /** Client properties (bootstrap servers and SCRAM login) of the super user that provisions. */
  public Map<String, Object> adminConfig() {
    Map<String, Object> config = new HashMap<>(credentials.clientConfig(KafkaCredentials.ADMIN));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return config;
  }

  /** The broker's process, for supervision. */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Stops the broker cleanly (it flushes its logs), killing it if it takes longer than 30 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * Waits until the client listener serves the admin, then makes sure every principal of the
   * credentials file has its SCRAM credential (those added after the storage was formatted).
   */
  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(withTimeouts(adminConfig()))) {
      retryUntil(
          deadline,
          () ->
              !admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                  .nodes()
                  .get(3, TimeUnit.SECONDS)
                  .isEmpty());
      retryUntil(deadline, () -> addMissingScramCredentials(admin));
    }
  }

  private boolean addMissingScramCredentials(Admin admin) throws Exception {
    Set<String> existing =
        admin.describeUserScramCredentials().all().get(5, TimeUnit.SECONDS).keySet();
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    for (String principal : credentials.scramPrincipals()) {
      if (!existing.contains(principal)) {
        upserts.add(
            new UserScramCredentialUpsertion(
                principal,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, SCRAM_ITERATIONS),
                credentials.password(principal)));
      }
    }
    if (!upserts.isEmpty()) {
      admin.alterUserScramCredentials(upserts).all().get(5, TimeUnit.SECONDS);
    }
    return true;
  }

  private static Map<String, Object> withTimeouts(Map<String, Object> config) {
    Map<String, Object> timed = new HashMap<>(config);
    timed.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    timed.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    return timed;
  }

  private void retryUntil(long deadline, Callable<Boolean> ready) {
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Kafka broker exited with code "
                + process.exitValue()
                + " before it was ready; see "
                + dataDir.resolve("broker.log")
                + ":\n"
                + Logs.tail(dataDir.resolve("broker.log"), 30));
      }
      try {
        if (ready.call()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      sleep(100);
    }
    close();
    throw new IllegalStateException(
        "the Kafka broker was not ready in time; see " + dataDir.resolve("broker.log"), last);
  }

  private static String serverProperties(
      int brokerPort, int controllerPort, Path logDir, KafkaCredentials credentials) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    // Both listeners on loopback only, both authenticated: CLIENT with SCRAM, CONTROLLER with PLAIN
    // (KRaft cannot use SCRAM there: the credentials live in the metadata the controller serves).
    p.setProperty(
        "listeners",
        "CLIENT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "CLIENT://127.0.0.1:" + brokerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "CLIENT");
    p.setProperty(
        "listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.setProperty("listener.name.client.sasl.enabled.mechanisms", KafkaCredentials.MECHANISM);
    p.setProperty("sasl.mechanism.inter.broker.protocol", KafkaCredentials.MECHANISM);
    p.setProperty(
        "listener.name.client.scram-sha-256.sasl.jaas.config",
        KafkaCredentials.scramJaas(
            KafkaCredentials.ADMIN, credentials.password(KafkaCredentials.ADMIN)));
    p.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
    p.setProperty("listener.name.controller.plain.sasl.jaas.config", controllerJaas(credentials));
    p.setProperty(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.setProperty("allow.everyone.if.no.acl.found", "false");
    p.setProperty(
        "super.users", "User:" + KafkaCredentials.ADMIN + ";User:" + KafkaCredentials.CONTROLLER);
    p.setProperty("log.dirs", logDir.toString());
    // Topics are created explicitly by TopicProvisioner, never as a side effect of a typo.
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("num.partitions", "3");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "5");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    oneMachine(p);
    StringBuilder out = new StringBuilder("# written by Slipway's KafkaBroker on every start\n");
    p.stringPropertyNames().stream()
        .sorted()
        .forEach(k -> out.append(k).append('=').append(p.getProperty(k)).append('\n'));
    return out.toString();
  }

  /**
   * Sizes the broker for one machine and a handful of clients, where the defaults assume a
   * dedicated server: the log cleaner's 128 MiB dedupe buffer was most of the idle heap (it only
   * compacts __consumer_offsets here), thread pools sized for many cores each cost memory, and the
   * controller appending a no-op record every 500 ms (and the broker publishing it) kept an idle
   * broker busy. Measured with bench/local-stack.sh (docs/performance.md).
   */
  private static void oneMachine(Properties p) {
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    p.setProperty("log.cleaner.threads", "1");
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "2");
    p.setProperty("background.threads", "2");
    p.setProperty("num.recovery.threads.per.data.dir", "1");
    p.setProperty("group.coordinator.threads", "1");
    // Small segments and indexes: the topics hold little, and a segment's index is mapped whole.
    p.setProperty("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
    p.setProperty("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
    p.setProperty("log.index.size.max.bytes", Integer.toString(1024 * 1024));
    // The no-op records only prove a quorum's liveness; with one node 30 s is plenty.
    p.setProperty("metadata.max.idle.interval.ms", "30000");
  }

  /** The controller's PLAIN login; on the broker side it also lists the one accepted user. */
  private static String controllerJaas(KafkaCredentials credentials) {
    String user = KafkaCredentials.CONTROLLER;
    String password = credentials.password(user);
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\" user_"
        + user
        + "=\""
        + password
        + "\";";
  }

  /** The principals whose passwords exist before the storage is formatted with them. */
  private static List<String> scramPrincipals() {
    List<String> principals = new ArrayList<>();
    principals.add(KafkaCredentials.ADMIN);
    KafkaAccess.SERVICES.forEach(a -> principals.add(a.principal()));
    return principals;
  }

  /** The cluster id is chosen once per data directory and kept, as the formatted logs require. */
  private static String clusterId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("cluster.id");
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    String id = Uuid.randomUuid().toString();
    Files.writeString(file, id);
    return id;
  }

  private static String brokerClasspath() throws IOException {
    URL resource = KafkaBroker.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
    if (resource == null) {
      throw new IllegalStateException(
          CLASSPATH_RESOURCE + " is missing: build platform-local with ./mvnw first");
    }
    String jars;
    try (InputStream in = resource.openStream()) {
      jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    return ownLocation(resource) + java.io.File.pathSeparator + jars;
  }

  /** The jar or classes directory holding this module, so the child can run KafkaBrokerMain. */
  private static String ownLocation(URL resource) {
    String url = resource.toString();
    try {
      if (url.startsWith("jar:")) {
        return Path.of(new URI(url.substring(4, url.indexOf("!/")))).toString();
      }
      String root = url.substring(0, url.length() - CLASSPATH_RESOURCE.length());
      return Path.of(new URI(root)).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate platform-local from " + url, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
    }
  }

  private static final String LOG4J_CONFIG =
      """
      status = warn
      appender.console.type = Console
      appender.console.name = STDOUT
      appender.console.layout.type = PatternLayout
      appender.console.layout.pattern = [%d] %p %m (%c)%n
      rootLogger.level = INFO
      rootLogger.appenderRef.stdout.ref = STDOUT
      logger.kafka.name = kafka
      logger.kafka.level = INFO
      logger.clients.name = org.apache.kafka
      logger.clients.level = WARN
      """;
}

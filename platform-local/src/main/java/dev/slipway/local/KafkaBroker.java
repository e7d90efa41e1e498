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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker running in a child JVM, with its data in a directory that
 * survives restarts.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final String CLASSPATH_RESOURCE = "dev/slipway/local/kafka-broker.classpath";

  private final Process process;
  private final int port;
  private final Path dataDir;

  private KafkaBroker(Process process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) storing its logs in {@code dataDir}, and
   * returns once it answers metadata requests.
   */
  public static KafkaBroker start(Path dataDir, int port, Duration timeout) {
    try {
      Files.createDirectories(dataDir);
      int brokerPort = port == 0 ? FreePorts.pick() : port;
      int controllerPort = FreePorts.pick();
      Path logDir = dataDir.resolve("logs");
      Path config = dataDir.resolve("server.properties");
      Files.writeString(config, serverProperties(brokerPort, controllerPort, logDir));
      Path log4j = dataDir.resolve("log4j2.properties");
      Files.writeString(log4j, LOG4J_CONFIG);
      Path brokerLog = dataDir.resolve("broker.log");

      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          List.of(
              "-Xms128m",
              "-Xmx512m",
              "-XX:+UseSerialGC",
              "-Djava.awt.headless=true",
              "-Dlog4j2.configurationFile=" + log4j.toUri(),
              "-cp",
              brokerClasspath(),
              KafkaBrokerMain.class.getName(),
              config.toString(),
              clusterId(dataDir),
              logDir.toString()));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
              .start();
      KafkaBroker broker = new KafkaBroker(process, brokerPort, dataDir);
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

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
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
          if (!admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
              .nodes()
              .get(3, TimeUnit.SECONDS)
              .isEmpty()) {
            return;
          }
        } catch (Exception e) {
          last = e;
        }
        sleep(100);
      }
    }
    close();
    throw new IllegalStateException(
        "the Kafka broker was not ready within "
            + timeout
            + "; see "
            + dataDir.resolve("broker.log"),
        last);
  }

  private static String serverProperties(int brokerPort, int controllerPort, Path logDir) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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
    StringBuilder out = new StringBuilder("# written by Slipway's KafkaBroker on every start\n");
    p.stringPropertyNames().stream()
        .sorted()
        .forEach(k -> out.append(k).append('=').append(p.getProperty(k)).append('\n'));
    return out.toString();
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

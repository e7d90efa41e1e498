package dev.slipway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.ConsumerGroups;
import dev.slipway.events.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded stack is a real Kafka and a real PostgreSQL whose data, and Kafka logins, survive a
 * restart.
 */
class LocalInfrastructureTest {

  @TempDir Path dataDir;

  @Test
  void startsKafkaWithEveryTopicAndNoAutoCreationAndBothKeepTheirDataAndLoginsAcrossRestarts()
      throws Exception {
    LocalInfrastructure.Options options =
        new LocalInfrastructure.Options(
            dataDir, 0, 0, true, null, null, null, Duration.ofSeconds(90));
    try (LocalInfrastructure infra = LocalInfrastructure.start(options)) {
      System.out.printf("local infrastructure started in %d ms%n", infra.startup().toMillis());
      try (Admin admin = admin(infra)) {
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        for (Topic topic : Topic.values()) {
          assertTrue(topics.contains(topic.topicName()), topic.topicName());
        }
        for (String group : ConsumerGroups.all()) {
          assertTrue(topics.contains(Topic.deadLetterTopic(group)), group);
        }
        ConfigResource pipelines =
            new ConfigResource(ConfigResource.Type.TOPIC, Topic.PIPELINES.topicName());
        Config config = admin.describeConfigs(List.of(pipelines)).all().get().get(pipelines);
        assertEquals("compact", config.get("cleanup.policy").value());

        infra.topics().ensureDeadLetterTopic("extra");
        assertTrue(admin.listTopics().names().get().contains("slipway.dlq.extra"));
      }
      try (KafkaProducer<String, String> producer = producer(infra, KafkaCredentials.ADMIN)) {
        producer
            .send(new ProducerRecord<>(Topic.BUILDS.topicName(), "p", "v"))
            .get(30, TimeUnit.SECONDS);
        ExecutionException refused =
            assertThrows(
                ExecutionException.class,
                () ->
                    producer
                        .send(new ProducerRecord<>("slipway.typo", "p", "v"))
                        .get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().contains("slipway.typo"), refused.getMessage());
      }
      // A durable stack (slipway up) writes through: a power loss cannot corrupt its data.
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        assertEquals("on", query(infra.jdbcUrl(), adminLogin(infra), "SHOW " + setting), setting);
      }
      sql(infra, "CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here')");
    }
    try (LocalInfrastructure again = LocalInfrastructure.start(options)) {
      try (Connection c =
              DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
        assertTrue(rs.next());
        assertEquals("still here", rs.getString(1));
      }
      // The services' passwords and ACLs are the same after a restart.
      try (KafkaProducer<String, String> producer = producer(again, ConsumerGroups.BUILD_SERVICE)) {
        producer
            .send(new ProducerRecord<>(Topic.BUILDS.topicName(), "p", "v"))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void postgresWantsAPasswordFromEveryoneAndKeepsEachServiceRoleToItsOwnSchema() throws Exception {
    LocalInfrastructure.Options options =
        new LocalInfrastructure.Options(
            dataDir, 0, 0, false, null, null, null, Duration.ofSeconds(90));
    try (LocalInfrastructure infra = LocalInfrastructure.start(options)) {
      for (String user : List.of("postgres", "build_service")) {
        SQLException refused =
            assertThrows(
                SQLException.class, () -> DriverManager.getConnection(infra.jdbcUrl(), user, ""));
        assertTrue(refused.getMessage().contains("password"), refused.getMessage());
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(infra.jdbcUrl(), user, "guessed"),
            "a wrong password is refused");
      }
      assertEquals("127.0.0.1", query(infra.jdbcUrl(), adminLogin(infra), "SHOW listen_addresses"));
      // Throw-away test data need not survive a power loss.
      assertEquals("off", query(infra.jdbcUrl(), adminLogin(infra), "SHOW fsync"));

      LocalInfrastructure.Login build = infra.serviceLogin("build_service");
      LocalInfrastructure.Login promotion = infra.serviceLogin("promotion_service");
      assertEquals("build_service", build.user());
      try (Connection c =
              DriverManager.getConnection(infra.jdbcUrl(), build.user(), build.password());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE build_service.mine (v TEXT)");
        s.execute("INSERT INTO build_service.mine VALUES ('private')");
      }
      assertEquals("private", query(infra.jdbcUrl(), build, "SELECT v FROM build_service.mine"));
      SQLException denied =
          assertThrows(
              SQLException.class,
              () -> query(infra.jdbcUrl(), promotion, "SELECT v FROM build_service.mine"));
      assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
      assertThrows(
          SQLException.class,
          () -> query(infra.jdbcUrl(), promotion, "CREATE TABLE build_service.planted (v TEXT)"),
          "nor create anything in it");
      assertThrows(
          SQLException.class,
          () ->
              DriverManager.getConnection(
                      infra.jdbcUrl().replace("/slipway", "/postgres"),
                      promotion.user(),
                      promotion.password())
                  .close(),
          "service roles reach their own database only");

      Path credentials = infra.postgresCredentials().orElseThrow();
      assertEquals(
          PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(credentials));
      assertEquals(
          PosixFilePermissions.fromString("rwx------"),
          Files.getPosixFilePermissions(credentials.getParent()));
    }
  }

  private static LocalInfrastructure.Login adminLogin(LocalInfrastructure infra) {
    return new LocalInfrastructure.Login(infra.user(), infra.password());
  }

  private static String query(String jdbcUrl, LocalInfrastructure.Login login, String sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, login.user(), login.password());
        Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        return null;
      }
      try (ResultSet rs = s.getResultSet()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void sql(LocalInfrastructure infra, String statements) throws Exception {
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        Statement s = c.createStatement()) {
      s.execute(statements);
    }
  }

  private static Admin admin(LocalInfrastructure infra) {
    return Admin.create(infra.kafkaClientConfig(KafkaCredentials.ADMIN));
  }

  private static KafkaProducer<String, String> producer(
      LocalInfrastructure infra, String principal) {
    Map<String, Object> config = new HashMap<>(infra.kafkaClientConfig(principal));
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}

package dev.slipway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.ConsumerGroups;
import dev.slipway.events.Topic;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded stack is a real Kafka and a real PostgreSQL whose data survives a restart. */
class LocalInfrastructureTest {

  @TempDir Path dataDir;

  @Test
  void startsKafkaWithEveryTopicAndNoAutoCreationAndPostgresThatKeepsItsDataAcrossRestarts()
      throws Exception {
    LocalInfrastructure.Options options =
        new LocalInfrastructure.Options(dataDir, 0, 0, true, null, null, Duration.ofSeconds(90));
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

        new TopicProvisioner(infra.bootstrapServers(), 3, (short) 1).ensureDeadLetterTopic("extra");
        assertTrue(admin.listTopics().names().get().contains("slipway.dlq.extra"));
      }
      try (KafkaProducer<String, String> producer = producer(infra)) {
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
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(LocalInfrastructure infra) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            infra.bootstrapServers(),
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            3000),
        new StringSerializer(),
        new StringSerializer());
  }
}

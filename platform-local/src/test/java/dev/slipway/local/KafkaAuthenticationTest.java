package dev.slipway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.ConsumerGroups;
import dev.slipway.events.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local broker serves only authenticated clients, and each service's principal may produce and
 * consume exactly what {@link KafkaAccess} grants it: asserted with real clients on a real broker.
 */
class KafkaAuthenticationTest {

  @TempDir static Path dataDir;

  private static LocalInfrastructure infra;

  @BeforeAll
  static void start() throws Exception {
    infra =
        LocalInfrastructure.start(
            new LocalInfrastructure.Options(
                dataDir, 0, 0, false, null, null, null, Duration.ofSeconds(90)));
    // One record on every topic, so that a consumer that may read it receives something.
    try (KafkaProducer<String, String> admin = producer(KafkaCredentials.ADMIN)) {
      for (Topic topic : Topic.values()) {
        admin.send(new ProducerRecord<>(topic.topicName(), "k", "v")).get(30, TimeUnit.SECONDS);
      }
    }
  }

  @AfterAll
  static void stop() {
    infra.close();
  }

  @Test
  void clientWithoutCredentialsCanNeitherProduceNorConsume() {
    long before = recordsOn(Topic.BUILDS);
    Map<String, Object> anonymous = new HashMap<>();
    anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    try (KafkaProducer<String, String> producer = producer(anonymous)) {
      Exception refused =
          assertThrows(
              Exception.class,
              () ->
                  producer
                      .send(new ProducerRecord<>(Topic.BUILDS.topicName(), "k", "forged"))
                      .get(10, TimeUnit.SECONDS));
      assertInstanceOf(TimeoutException.class, rootOf(refused), refused.toString());
    }
    try (KafkaConsumer<String, String> consumer = consumer(anonymous, null)) {
      assertThrows(
          TimeoutException.class,
          () -> consumer.partitionsFor(Topic.PIPELINES.topicName(), Duration.ofSeconds(3)));
    }
    assertEquals(before, recordsOn(Topic.BUILDS), "the forged record never reached the topic");
  }

  @Test
  void clientWithWrongPasswordIsRefused() {
    Map<String, Object> wrong =
        new HashMap<>(infra.kafkaClientConfig(ConsumerGroups.BUILD_SERVICE));
    wrong.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        KafkaCredentials.scramJaas(ConsumerGroups.BUILD_SERVICE, "not-the-password"));
    try (KafkaProducer<String, String> producer = producer(wrong)) {
      Exception refused =
          assertThrows(
              Exception.class,
              () ->
                  producer
                      .send(new ProducerRecord<>(Topic.BUILDS.topicName(), "k", "forged"))
                      .get(10, TimeUnit.SECONDS));
      assertInstanceOf(AuthenticationException.class, rootOf(refused), refused.toString());
    }
    try (KafkaConsumer<String, String> consumer = consumer(wrong, ConsumerGroups.BUILD_SERVICE)) {
      assertThrows(
          AuthenticationException.class,
          () -> consumer.partitionsFor(Topic.PIPELINES.topicName(), Duration.ofSeconds(10)));
    }
  }

  @Test
  void eachServiceProducesOnlyToTheTopicsItOwnsAndItsOwnDeadLetterTopic() throws Exception {
    List<String> mismatches = new ArrayList<>();
    for (KafkaAccess access : KafkaAccess.SERVICES) {
      try (KafkaProducer<String, String> producer = producer(access.principal())) {
        for (Topic topic : Topic.values()) {
          boolean allowed = canProduce(producer, topic.topicName());
          if (allowed != access.produces().contains(topic)) {
            mismatches.add(access.principal() + " produce " + topic.topicName() + ": " + allowed);
          }
        }
        for (String group : ConsumerGroups.all()) {
          String deadLetters = Topic.deadLetterTopic(group);
          if (canProduce(producer, deadLetters) != group.equals(access.principal())) {
            mismatches.add(access.principal() + " produce " + deadLetters);
          }
        }
      }
    }
    assertEquals(List.of(), mismatches);
  }

  @Test
  void eachServiceConsumesOnlyTheTopicsItReadsInItsOwnGroup() {
    List<String> mismatches = new ArrayList<>();
    for (KafkaAccess access : KafkaAccess.SERVICES) {
      for (Topic topic : Topic.values()) {
        boolean allowed = canConsume(access.principal(), access.principal(), topic.topicName());
        if (allowed != access.consumes().contains(topic)) {
          mismatches.add(access.principal() + " consume " + topic.topicName() + ": " + allowed);
        }
      }
    }
    assertEquals(List.of(), mismatches);
    // build-service reads slipway.pipelines, but not in deploy-service's group.
    assertThrows(
        GroupAuthorizationException.class,
        () ->
            canConsume(
                ConsumerGroups.BUILD_SERVICE,
                ConsumerGroups.DEPLOY_SERVICE,
                Topic.PIPELINES.topicName()));
  }

  @Test
  void serviceCannotCreateTopicsOrGrantItselfAccess() {
    try (Admin admin = Admin.create(infra.kafkaClientConfig(ConsumerGroups.BUILD_SERVICE))) {
      ExecutionException create =
          assertThrows(
              ExecutionException.class,
              () ->
                  admin
                      .createTopics(List.of(new NewTopic("slipway.sneaky", 1, (short) 1)))
                      .all()
                      .get(10, TimeUnit.SECONDS));
      assertInstanceOf(TopicAuthorizationException.class, create.getCause());
      ExecutionException grant =
          assertThrows(
              ExecutionException.class,
              () ->
                  admin
                      .createAcls(KafkaAccess.everyTopicAndGroup(ConsumerGroups.BUILD_SERVICE))
                      .all()
                      .get(10, TimeUnit.SECONDS));
      assertTrue(
          grant.getCause().getClass().getSimpleName().contains("Authorization"),
          grant.getCause().toString());
    }
  }

  @Test
  void passwordsAreKeptInFilesOnlyThePlatformUserCanReadAndNeverLogged() throws Exception {
    Path kafkaDir = dataDir.resolve("kafka");
    for (String file : List.of("credentials.properties", "server.properties")) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(kafkaDir.resolve(file))),
          file);
    }
    String brokerLog = Files.readString(kafkaDir.resolve("broker.log"));
    KafkaCredentials credentials =
        KafkaCredentials.open(kafkaDir.resolve("credentials.properties"));
    for (String principal : credentials.scramPrincipals()) {
      assertFalse(brokerLog.contains(credentials.password(principal)), principal);
    }
    assertFalse(brokerLog.contains(credentials.password(KafkaCredentials.CONTROLLER)));
  }

  private static boolean canProduce(KafkaProducer<String, String> producer, String topic)
      throws Exception {
    try {
      producer.send(new ProducerRecord<>(topic, "probe", "probe")).get(30, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicAuthorizationException) {
        return false;
      }
      throw e;
    }
  }

  /** Whether {@code principal} reads {@code topic}'s records as a member of {@code group}. */
  private static boolean canConsume(String principal, String group, String topic) {
    try (KafkaConsumer<String, String> consumer =
        consumer(infra.kafkaClientConfig(principal), group)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        try {
          if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
            return true;
          }
        } catch (TopicAuthorizationException e) {
          return false;
        }
      }
      throw new AssertionError(principal + " neither read nor was refused " + topic);
    }
  }

  private static long recordsOn(Topic topic) {
    try (KafkaConsumer<String, String> consumer =
        consumer(infra.kafkaClientConfig(KafkaCredentials.ADMIN), null)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.topicName()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static Throwable rootOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static KafkaProducer<String, String> producer(String principal) {
    return producer(infra.kafkaClientConfig(principal));
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(Map<String, Object> client, String group) {
    Map<String, Object> config = new HashMap<>(client);
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}

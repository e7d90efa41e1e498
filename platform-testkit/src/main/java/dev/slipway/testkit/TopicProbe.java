package dev.slipway.testkit;

import dev.slipway.events.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what is really on a topic, from the beginning, without joining any consumer group. */
public final class TopicProbe {

  private TopicProbe() {}

  /** The first record on {@code topic} with {@code key}, waiting up to {@code timeout}. */
  public static ConsumerRecord<String, byte[]> find(
      String bootstrapServers, String topic, String key, Duration timeout) {
    return findAll(bootstrapServers, topic, key, 1, timeout).get(0);
  }

  /**
   * Every record on {@code topic} with {@code key}, in offset order, once there are at least {@code
   * count} of them (waiting up to {@code timeout}).
   */
  public static List<ConsumerRecord<String, byte[]>> findAll(
      String bootstrapServers, String topic, String key, int count, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> found = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = fromBeginning(bootstrapServers, topic)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && found.size() < count) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(r.key())) {
            found.add(r);
          }
        }
      }
    }
    if (found.size() < count) {
      throw new AssertionError(
          found.size() + " records with key " + key + " on " + topic + ", expected " + count);
    }
    return found;
  }

  /**
   * Every record on {@code topic} from the beginning up to its current end, in offset order per
   * partition, tombstones included: what a flow has left on the topic.
   */
  public static List<ConsumerRecord<String, byte[]>> everyRecord(
      String bootstrapServers, String topic) {
    List<ConsumerRecord<String, byte[]>> found = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = fromBeginning(bootstrapServers, topic)) {
      List<TopicPartition> partitions = List.copyOf(consumer.assignment());
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(found::add);
      }
    }
    return found;
  }

  // A consumer outside any group, assigned every partition of the topic at its beginning.
  private static KafkaConsumer<String, byte[]> fromBeginning(
      String bootstrapServers, String topic) {
    Properties config = new Properties();
    config.putAll(SlipwayInfrastructure.testClientConfig());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /** A header's value as text, or null. */
  public static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The record read back as a CloudEvent in binary mode. */
  public static CloudEvent cloudEvent(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return CloudEvent.fromBinaryHeaders(headers, record.value());
  }
}

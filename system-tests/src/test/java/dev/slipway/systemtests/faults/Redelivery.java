package dev.slipway.systemtests.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Delivers every event a second time: each record of every platform topic (dead letters aside) is
 * written again, unchanged (key, value, headers, partition), so every consumer group reads each
 * event twice, as after a consumer group reset to the beginning.
 */
final class Redelivery {

  private Redelivery() {}

  /** Copies every record once; returns how many. */
  static long republishEverything(Map<String, Object> admin) throws Exception {
    Map<String, Object> consumerConfig = new HashMap<>(admin);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, Object> producerConfig = new HashMap<>(admin);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    long copied = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Map.Entry<String, List<PartitionInfo>> t : consumer.listTopics().entrySet()) {
        if (t.getKey().startsWith("slipway.") && !t.getKey().startsWith("slipway.dlq.")) {
          t.getValue().forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> remaining = new HashMap<>(ends);
      remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!remaining.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          Long end = ends.get(tp);
          if (end == null || r.offset() >= end) {
            continue;
          }
          producer.send(
              new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers()));
          copied++;
          if (r.offset() + 1 >= end) {
            remaining.remove(tp);
          }
        }
      }
      producer.flush();
      if (!remaining.isEmpty()) {
        throw new AssertionError("could not read every event of " + remaining.keySet());
      }
    }
    return copied;
  }
}

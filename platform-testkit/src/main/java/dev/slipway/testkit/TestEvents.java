package dev.slipway.testkit;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventPayload;
import dev.slipway.events.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events as another service would (CloudEvents binary mode, keyed by pipeline id), for
 * tests of a service whose upstream producers are not running.
 */
public final class TestEvents {

  private TestEvents() {}

  /** Publishes {@code payload} as {@code type} from {@code source}, now; returns the event. */
  public static CloudEvent publish(String source, EventType type, EventPayload payload) {
    return publish(source, type, payload, Instant.now());
  }

  /** Publishes {@code payload} with an explicit event time; returns the event. */
  public static CloudEvent publish(
      String source, EventType type, EventPayload payload, Instant time) {
    CloudEvent event = EventCodec.encode(type, source, payload, UUID.randomUUID().toString(), time);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(type.topic().topicName(), payload.pipelineId(), event.data());
    event
        .binaryHeaders()
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    Properties config = new Properties();
    config.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SlipwayInfrastructure.get().bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish " + type.type(), e);
    }
    return event;
  }
}

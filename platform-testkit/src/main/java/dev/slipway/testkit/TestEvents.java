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
    publish(event, payload.pipelineId());
    return event;
  }

  /** Publishes an already encoded event (again, to test redelivery) with {@code key}. */
  public static void publish(CloudEvent event, String key) {
    EventType type =
        EventType.fromType(event.type())
            .orElseThrow(() -> new IllegalArgumentException("unknown type " + event.type()));
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(type.topic().topicName(), key, event.data());
    event
        .binaryHeaders()
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try {
      producer().send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish " + type.type(), e);
    }
  }

  private static KafkaProducer<String, byte[]> producer;

  private static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties config = new Properties();
      config.putAll(SlipwayInfrastructure.testClientConfig());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      KafkaProducer<String, byte[]> created =
          new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
      Runtime.getRuntime()
          .addShutdownHook(new Thread(created::close, "test-events-producer-close"));
      producer = created;
    }
    return producer;
  }
}

package dev.slipway.platform.inbox;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventPayload;
import dev.slipway.events.EventType;
import dev.slipway.events.InvalidEventException;
import dev.slipway.platform.persistence.DatabaseOutage;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Applies each consumed event at most once in effect: its id is recorded in the same transaction as
 * the state change it causes, and a redelivered id changes nothing.
 *
 * <p>Services call {@link #consume} from their {@code @Incoming} methods. A malformed event fails
 * at once; a database outage ({@link DatabaseOutage}) is waited for, up to two minutes; any other
 * failure is retried with backoff, a bounded number of times. A failure that remains is returned to
 * the connector, whose {@code dead-letter-queue} strategy moves the record to the group's
 * dead-letter topic with the error, and consumption goes on.
 */
@ApplicationScoped
public class IdempotentConsumer {

  private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);
  private static final Duration OUTAGE_PATIENCE = Duration.ofMinutes(2);

  private final Mutiny.SessionFactory sessionFactory;
  private final String group;
  private final String insertProcessed;
  private final MeterRegistry registry;
  private final int maxRetries;

  public IdempotentConsumer(
      Mutiny.SessionFactory sessionFactory,
      @ConfigProperty(name = "quarkus.application.name") String group,
      @ConfigProperty(name = "slipway.schema") String schema,
      @ConfigProperty(name = "slipway.consumer.max-retries", defaultValue = "5") int maxRetries,
      MeterRegistry registry) {
    this.sessionFactory = sessionFactory;
    this.group = group;
    this.maxRetries = maxRetries;
    this.registry = registry;
    // schema is validated as a plain identifier by OutboxRelay at startup
    this.insertProcessed =
        "INSERT INTO "
            + schema
            + ".processed_event (consumer_group, event_id, event_type) VALUES (?1, ?2, ?3)"
            + " ON CONFLICT DO NOTHING";
  }

  /** Decodes {@code record} as a CloudEvent and applies it once with {@code handler}. */
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record, EventHandler handler) {
    if (record.value() == null) {
      // A tombstone on a compacted topic: the event recorded before it already said what happened.
      return Uni.createFrom().voidItem();
    }
    CloudEvent event;
    EventPayload payload;
    try {
      event = CloudEvent.fromBinaryHeaders(headers(record), record.value());
      if (EventType.fromType(event.type()).isEmpty()) {
        // A type from a newer producer: evolution is additive, so consumers that predate it move
        // on.
        registry.counter("slipway.consumer.ignored", "type", event.type()).increment();
        LOG.debugf("ignoring event %s of unknown type %s", event.id(), event.type());
        return Uni.createFrom().voidItem();
      }
      payload = EventCodec.decode(event);
    } catch (RuntimeException e) {
      registry.counter("slipway.consumer.rejected", "topic", record.topic()).increment();
      LOG.warnf(
          "rejecting malformed record %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
      return Uni.createFrom()
          .failure(
              e instanceof InvalidEventException
                  ? e
                  : new InvalidEventException("malformed event: " + e.getMessage()));
    }
    return applyOnce(event, payload, handler)
        // A database that is restarting is waited for: the event is fine and must not be
        // dead-lettered for it.
        .onFailure(DatabaseOutage::isOutage)
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .expireIn(OUTAGE_PATIENCE.toMillis())
        .onFailure(f -> !(f instanceof InvalidEventException))
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .atMost(maxRetries);
  }

  private Uni<Void> applyOnce(CloudEvent event, EventPayload payload, EventHandler handler) {
    return sessionFactory.withTransaction(
        (session, tx) ->
            session
                .createNativeQuery(insertProcessed)
                .setParameter(1, group)
                .setParameter(2, event.id())
                .setParameter(3, event.type())
                .executeUpdate()
                .chain(
                    inserted -> {
                      if (inserted == 0) {
                        registry
                            .counter("slipway.consumer.duplicates", "type", event.type())
                            .increment();
                        LOG.debugf("event %s already processed by %s: skipped", event.id(), group);
                        return Uni.createFrom().voidItem();
                      }
                      return handler
                          .handle(session, event, payload)
                          .invoke(
                              () ->
                                  registry
                                      .counter("slipway.consumer.processed", "type", event.type())
                                      .increment());
                    }));
  }

  private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      if (header.value() != null) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return headers;
  }
}

package dev.slipway.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventCodec;
import dev.slipway.events.EventPayload;
import dev.slipway.events.EventType;
import dev.slipway.events.Topic;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Records events in the caller's transaction, so they are published if and only if the state change
 * that caused them commits.
 */
@ApplicationScoped
public class Outbox {

  private final String source;

  @Inject
  public Outbox(@ConfigProperty(name = "quarkus.application.name") String applicationName) {
    this.source = EventCodec.sourceOf(applicationName);
  }

  /**
   * Adds {@code payload} as an event of {@code type} to {@code session}'s transaction; the caller
   * must be inside {@code withTransaction}. Returns the event as it will be published.
   */
  public Uni<CloudEvent> record(Mutiny.Session session, EventType type, EventPayload payload) {
    CloudEvent event = EventCodec.encode(type, source, payload);
    OutboxEvent row = new OutboxEvent();
    row.eventId = event.id();
    row.eventType = event.type();
    row.topic = type.topic().topicName();
    row.eventKey = payload.pipelineId();
    row.headers = toJson(event);
    row.payload = event.data();
    row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    return session.persist(row).replaceWith(event);
  }

  /**
   * Adds a tombstone for {@code key} on the compacted {@code topic}: compaction will drop every
   * earlier record of that key. Record the event that explains the deletion first.
   */
  public Uni<Void> recordTombstone(Mutiny.Session session, Topic topic, String key) {
    if (!topic.compacted()) {
      throw new IllegalArgumentException(topic.topicName() + " is not compacted");
    }
    OutboxEvent row = new OutboxEvent();
    row.eventId = "tombstone-" + UUID.randomUUID();
    row.eventType = "tombstone";
    row.topic = topic.topicName();
    row.eventKey = key;
    row.headers = "{}";
    row.payload = null;
    row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    return session.persist(row);
  }

  /** The {@code source} attribute of every event this service emits. */
  public String source() {
    return source;
  }

  private static String toJson(CloudEvent event) {
    try {
      return EventCodec.mapper().writeValueAsString(event.binaryHeaders());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise CloudEvents headers", e);
    }
  }
}

package dev.slipway.platform.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An event waiting in the outbox table until the relay has published it. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "event_id", nullable = false, updatable = false)
  public String eventId;

  @Column(name = "event_type", nullable = false, updatable = false)
  public String eventType;

  @Column(nullable = false, updatable = false)
  public String topic;

  @Column(name = "event_key", nullable = false, updatable = false)
  public String eventKey;

  /** The CloudEvents binary-mode headers, as a JSON object of strings. */
  @Column(nullable = false, updatable = false)
  public String headers;

  /** Null for a tombstone. */
  @Column(updatable = false)
  public byte[] payload;

  @Column(name = "created_at", nullable = false, updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "published_at")
  public OffsetDateTime publishedAt;
}

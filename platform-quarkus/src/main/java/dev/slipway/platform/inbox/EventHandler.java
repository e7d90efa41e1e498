package dev.slipway.platform.inbox;

import dev.slipway.events.CloudEvent;
import dev.slipway.events.EventPayload;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/** What a service does with one consumed event, inside the transaction that records it. */
@FunctionalInterface
public interface EventHandler {

  /**
   * Applies {@code payload} using {@code session}; everything done through it commits together with
   * the record that this event was processed.
   */
  Uni<Void> handle(Mutiny.Session session, CloudEvent event, EventPayload payload);
}

package dev.slipway.platform.instances;

import io.smallrye.mutiny.Uni;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Carries a cancel request to whichever replica runs the work: a PostgreSQL NOTIFY on the service's
 * cancel channel, sent when the request's transaction commits and received by every replica's
 * {@link dev.slipway.platform.outbox.OutboxRelay} connection (ADR 0017).
 */
public final class CancelRequests {

  private CancelRequests() {}

  /** The channel of {@code schema}'s cancel requests: one database, one channel per service. */
  public static String channel(String schema) {
    return "slipway_cancel_" + schema;
  }

  /** Announces, on commit of {@code session}'s transaction, that work {@code id} is to stop. */
  public static Uni<Void> announce(Mutiny.Session session, String schema, UUID id) {
    return session
        .createNativeQuery("select 1 from (select pg_notify(:channel, :id)) as sent", Integer.class)
        .setParameter("channel", channel(schema))
        .setParameter("id", id.toString())
        .getSingleResult()
        .replaceWithVoid();
  }
}

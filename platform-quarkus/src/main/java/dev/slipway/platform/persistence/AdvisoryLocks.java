package dev.slipway.platform.persistence;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * PostgreSQL transaction-scoped advisory locks by name: serialises work on one thing (a pipeline's
 * promotions, a pull request's review app, a webhook delivery) across threads and service
 * instances; released when the transaction ends.
 */
public final class AdvisoryLocks {

  private AdvisoryLocks() {}

  /** Waits until this transaction holds the lock named {@code key}. */
  public static Uni<Void> lock(Mutiny.Session session, String key) {
    return session
        .createNativeQuery(
            "select 1 from (select pg_advisory_xact_lock(hashtextextended(:key, 0))) as locked",
            Integer.class)
        .setParameter("key", key)
        .getSingleResult()
        .replaceWithVoid();
  }
}

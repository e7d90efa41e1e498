package dev.slipway.apps.process;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cancellation switches of the work running on this instance (builds, test runs), by id: a
 * cancel request reaches the running work here, and a shutdown stops all of it.
 */
public final class Cancellations {

  private final Map<UUID, Cancellation> running = new ConcurrentHashMap<>();

  /** A new switch for the work {@code id}, which starts running now. */
  public Cancellation started(UUID id) {
    Cancellation c = new Cancellation();
    running.put(id, c);
    return c;
  }

  /** The work {@code id} ended: nothing to cancel any more. */
  public void finished(UUID id) {
    running.remove(id);
  }

  /** Cancels the work {@code id}; false when it does not run on this instance. */
  public boolean cancel(UUID id) {
    Cancellation c = running.get(id);
    if (c == null) {
      return false;
    }
    c.cancel();
    return true;
  }

  /** Cancels everything running here (the service is stopping). */
  public void cancelAll() {
    running.values().forEach(Cancellation::cancel);
  }
}

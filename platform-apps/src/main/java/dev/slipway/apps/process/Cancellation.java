package dev.slipway.apps.process;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A switch a running build or test run watches: flipping it runs every registered stop action once
 * (typically {@link RunningProcess#cancel()} of the process trees it started).
 */
public final class Cancellation {

  private final List<Runnable> actions = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;

  /** Whether it was cancelled. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** Runs {@code action} on cancel, or now if already cancelled. */
  public void onCancel(Runnable action) {
    actions.add(action);
    if (cancelled && actions.remove(action)) {
      action.run();
    }
  }

  /** Stops watching: the action is no longer needed. */
  public void forget(Runnable action) {
    actions.remove(action);
  }

  /** Cancels: runs and forgets every registered action. */
  public void cancel() {
    cancelled = true;
    for (Runnable action : actions) {
      if (actions.remove(action)) {
        action.run();
      }
    }
  }
}

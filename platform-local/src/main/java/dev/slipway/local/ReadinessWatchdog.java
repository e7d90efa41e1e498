package dev.slipway.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds services that are alive but no longer serve: a process whose readiness check has failed
 * continuously for longer than a bound is killed, so that the supervisor, which restarts services
 * whose process ended, starts it again. A JVM out of heap, deadlocked or stopped keeps its process
 * but answers nothing; waiting for it to exit would wait forever.
 */
public final class ReadinessWatchdog {

  /** How long one readiness check may take before it counts as a failure. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  private final Duration bound;
  private final Duration every;
  private final Consumer<String> say;
  private final Map<Long, Watch> watches = new ConcurrentHashMap<>();

  /**
   * @param bound how long a service may fail its readiness check without a break before it is
   *     restarted
   * @param every how often each service is checked
   * @param say where to tell the user that a service was killed and why
   */
  public ReadinessWatchdog(Duration bound, Duration every, Consumer<String> say) {
    if (bound.isNegative() || bound.isZero() || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("bound and interval must be positive");
    }
    this.bound = bound;
    this.every = every;
    this.say = say;
  }

  /**
   * Checks {@code service} if its turn came, and kills it once it has been unready for longer than
   * the bound. Returns true when it did so (the caller then restarts it). Cheap between checks.
   */
  public boolean killIfStuck(ServiceProcess service, long nowNanos) {
    long pid = service.process().pid();
    watches.keySet().removeIf(known -> ProcessHandle.of(known).isEmpty());
    Watch watch = watches.computeIfAbsent(pid, p -> new Watch());
    if (watch.checked && nowNanos - watch.lastCheck < every.toNanos()) {
      return false;
    }
    watch.checked = true;
    watch.lastCheck = nowNanos;
    watch.unreadySince = next(watch.unreadySince, service.ready(CHECK_TIMEOUT), nowNanos);
    if (!stuck(watch.unreadySince, nowNanos, bound)) {
      return false;
    }
    say.accept(
        service.name()
            + " has not been ready for over "
            + bound.toSeconds()
            + " s (it answers nothing); killing it to restart it");
    service.kill();
    watches.remove(pid);
    return true;
  }

  /** Since when the service is unready after a check: -1 while ready, else the first failure. */
  static long next(long unreadySince, boolean ready, long nowNanos) {
    if (ready) {
      return -1;
    }
    return unreadySince < 0 ? nowNanos : unreadySince;
  }

  /** Whether a service unready since {@code unreadySince} (-1: ready) is past the bound. */
  static boolean stuck(long unreadySince, long nowNanos, Duration bound) {
    return unreadySince >= 0 && nowNanos - unreadySince > bound.toNanos();
  }

  /** When a process was last checked and since when it fails, in {@link System#nanoTime()}. */
  private static final class Watch {
    boolean checked;
    long lastCheck;
    long unreadySince = -1;
  }
}

package dev.slipway.deploy.runtime.local;

import java.time.Duration;
import java.util.Objects;

/**
 * How the local runtime treats processes: boot timeout, stop grace, crash backoff, log buffer size,
 * which ports web processes get, how long a switch-over waits for requests in flight, and how large
 * an unpacked slug may be.
 *
 * @param bootTimeout how long a web process has to bind {@code $PORT} (Heroku: 60 s, error R10)
 * @param stopGrace time between SIGTERM and SIGKILL when stopping a process (Heroku: 30 s)
 * @param initialBackoff delay before restarting a crashed process the first time; doubles with
 *     every further crash in a row
 * @param maxBackoff the longest delay between restarts; a process that stays up this long is
 *     considered recovered and its next crash starts again at {@code initialBackoff}
 * @param logBufferLines lines kept per app for {@code logs --tail} (Heroku keeps 1500)
 * @param ports where process ports come from
 * @param drainTimeout how long a switch-over waits for requests in flight to the old web process
 *     before stopping it anyway
 * @param maxSlugBytes most file bytes an unpacked slug may hold
 * @param logBufferBytes most bytes of log lines kept per app: with lines up to 64 KB each, the line
 *     count alone would not bound the memory an app's output takes
 */
public record LocalRuntimeSettings(
    Duration bootTimeout,
    Duration stopGrace,
    Duration initialBackoff,
    Duration maxBackoff,
    int logBufferLines,
    Ports ports,
    Duration drainTimeout,
    long maxSlugBytes,
    long logBufferBytes) {

  public LocalRuntimeSettings {
    requirePositive(bootTimeout, "bootTimeout");
    Objects.requireNonNull(stopGrace, "stopGrace");
    if (stopGrace.isNegative()) {
      throw new IllegalArgumentException("stopGrace must not be negative: " + stopGrace);
    }
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must not be below initialBackoff");
    }
    if (logBufferLines < 1) {
      throw new IllegalArgumentException("logBufferLines must be positive: " + logBufferLines);
    }
    Objects.requireNonNull(ports, "ports");
    requirePositive(drainTimeout, "drainTimeout");
    if (maxSlugBytes < 1) {
      throw new IllegalArgumentException("maxSlugBytes must be positive: " + maxSlugBytes);
    }
    if (logBufferBytes < 1) {
      throw new IllegalArgumentException("logBufferBytes must be positive: " + logBufferBytes);
    }
  }

  /**
   * Heroku's numbers where it has them: 60 s boot timeout, 30 s stop grace, 1500 log lines, 30 s
   * for requests in flight (its router timeout); restarts after 1 s doubling up to 20 minutes; any
   * free port; slugs up to 2 GiB unpacked; at most 2 MB of log lines per app.
   */
  public static LocalRuntimeSettings herokuDefaults() {
    return new LocalRuntimeSettings(
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        Duration.ofMinutes(20),
        1500,
        Ports.anyFree(),
        Duration.ofSeconds(30),
        2L * 1024 * 1024 * 1024,
        2L * 1024 * 1024);
  }

  public LocalRuntimeSettings withBootTimeout(Duration value) {
    return new LocalRuntimeSettings(
        value,
        stopGrace,
        initialBackoff,
        maxBackoff,
        logBufferLines,
        ports,
        drainTimeout,
        maxSlugBytes,
        logBufferBytes);
  }

  public LocalRuntimeSettings withStopGrace(Duration value) {
    return new LocalRuntimeSettings(
        bootTimeout,
        value,
        initialBackoff,
        maxBackoff,
        logBufferLines,
        ports,
        drainTimeout,
        maxSlugBytes,
        logBufferBytes);
  }

  public LocalRuntimeSettings withBackoff(Duration initial, Duration max) {
    return new LocalRuntimeSettings(
        bootTimeout,
        stopGrace,
        initial,
        max,
        logBufferLines,
        ports,
        drainTimeout,
        maxSlugBytes,
        logBufferBytes);
  }

  public LocalRuntimeSettings withPorts(Ports value) {
    return new LocalRuntimeSettings(
        bootTimeout,
        stopGrace,
        initialBackoff,
        maxBackoff,
        logBufferLines,
        value,
        drainTimeout,
        maxSlugBytes,
        logBufferBytes);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /**
   * The ports processes listen on: any free port the OS offers, or the free ones of {@code
   * first..last} (inclusive), e.g. to open only that range in a firewall.
   */
  public record Ports(int first, int last) {
    public Ports {
      boolean any = first == 0 && last == 0;
      if (!any && (first < 1 || last > 65_535 || first > last)) {
        throw new IllegalArgumentException("invalid port range " + first + ".." + last);
      }
    }

    public static Ports anyFree() {
      return new Ports(0, 0);
    }

    public static Ports range(int first, int last) {
      return new Ports(first, last);
    }

    public boolean isAnyFree() {
      return first == 0;
    }
  }
}

package dev.slipway.deploy.runtime.local;

import dev.slipway.apps.config.ConfigMask;
import dev.slipway.deploy.runtime.AppRuntime.LogSubscription;
import dev.slipway.deploy.runtime.AppRuntime.OutputSink;
import dev.slipway.platform.logs.OutputTail;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An app's log: the last lines in a ring buffer bounded by lines and bytes, plus live followers, in
 * Heroku's format {@code <timestamp> <source>[<dyno>]: <text>}. Every line is masked with the
 * secret values of the releases the app ran ({@link #mask}), since a viewer may read it.
 *
 * <p>Lines reach followers on the thread that wrote them, under this log's lock, so every follower
 * sees the tail and then each line exactly once and in order; a follower must therefore not block,
 * and one that throws is dropped.
 */
final class AppLog {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final OutputTail lines;
  private final List<OutputSink> followers = new ArrayList<>();
  private final ConfigMask mask = new ConfigMask();

  AppLog(int capacity, long maxBytes) {
    this.lines = new OutputTail(capacity, maxBytes);
  }

  /**
   * Masks, from now on, the values of {@code config} that the API shows redacted; values of earlier
   * releases stay masked too.
   */
  void mask(Map<String, String> config, Set<String> secretNames) {
    mask.add(config, secretNames);
  }

  /** A line the app's process {@code dyno} wrote. */
  void app(String dyno, String text) {
    append("app", dyno, text);
  }

  /**
   * A line the platform writes about {@code source}: a dyno name, {@code router} or {@code
   * runtime}.
   */
  void platform(String source, String text) {
    append("slipway", source, text);
  }

  private void append(String source, String dyno, String text) {
    String line =
        TIMESTAMP.format(Instant.now()) + " " + source + "[" + dyno + "]: " + mask.redact(text);
    synchronized (this) {
      lines.add(line);
      followers.removeIf(follower -> !deliver(follower, line));
    }
  }

  synchronized LogSubscription subscribe(int tail, boolean follow, OutputSink sink) {
    for (String line : lines.last(tail)) {
      if (!deliver(sink, line)) {
        return () -> {};
      }
    }
    if (!follow) {
      return () -> {};
    }
    followers.add(sink);
    return () -> {
      synchronized (AppLog.this) {
        followers.remove(sink);
      }
    };
  }

  /** Ends every follow: the app is gone. */
  synchronized void close() {
    followers.clear();
  }

  private static boolean deliver(OutputSink sink, String line) {
    try {
      sink.line(line);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}

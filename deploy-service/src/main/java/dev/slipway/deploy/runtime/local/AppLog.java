package dev.slipway.deploy.runtime.local;

import dev.slipway.deploy.runtime.AppRuntime.LogSubscription;
import dev.slipway.deploy.runtime.AppRuntime.OutputSink;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An app's log: the last lines in a ring buffer plus live followers, in Heroku's format {@code
 * <timestamp> <source>[<dyno>]: <text>}.
 *
 * <p>Lines reach followers on the thread that wrote them, under this log's lock, so every follower
 * sees the tail and then each line exactly once and in order; a follower must therefore not block,
 * and one that throws is dropped.
 */
final class AppLog {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final int capacity;
  private final ArrayDeque<String> lines;
  private final List<OutputSink> followers = new ArrayList<>();

  AppLog(int capacity) {
    this.capacity = capacity;
    this.lines = new ArrayDeque<>(Math.min(capacity, 4096));
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
    String line = TIMESTAMP.format(Instant.now()) + " " + source + "[" + dyno + "]: " + text;
    synchronized (this) {
      if (lines.size() == capacity) {
        lines.removeFirst();
      }
      lines.addLast(line);
      followers.removeIf(follower -> !deliver(follower, line));
    }
  }

  synchronized LogSubscription subscribe(int tail, boolean follow, OutputSink sink) {
    int skip = Math.max(0, lines.size() - tail);
    int index = 0;
    for (String line : lines) {
      if (index++ >= skip && !deliver(sink, line)) {
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

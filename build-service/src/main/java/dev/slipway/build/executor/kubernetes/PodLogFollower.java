package dev.slipway.build.executor.kubernetes;

import dev.slipway.build.executor.BuildLog;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Copies the build container's output into the build log: followed live once the container runs,
 * then read once more at the end for every line the live stream did not deliver (all of them, where
 * logs cannot be followed). Logs are a courtesy: nothing here ever fails a build.
 */
final class PodLogFollower {

  private static final Logger LOG = Logger.getLogger(PodLogFollower.class);

  /** How the API server answers a log request it refuses; the follower does not check status. */
  private static final String STATUS_BODY = "{\"kind\":\"Status\"";

  private final BuildLog log;
  private final Object lock = new Object();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private int delivered;
  private boolean stopped;
  private LogWatch watch;
  private boolean followFailed;

  /**
   * @param log the build log; every write to it, from any thread, goes through this follower
   */
  PodLogFollower(BuildLog log) {
    this.log = log;
  }

  /** Writes one line of Slipway's own to the build log, never in the middle of a pod line. */
  void line(String text) {
    synchronized (lock) {
      log.line(text);
    }
  }

  /** Starts following {@code container} of {@code pod}; later calls do nothing. */
  void follow(PodResource pod, String container) {
    if (watch != null || followFailed) {
      return;
    }
    try {
      watch = pod.inContainer(container).withReadyWaitTimeout(0).watchLog(new Lines());
    } catch (RuntimeException e) {
      followFailed = true;
      LOG.debugf("cannot follow build pod logs, will read them at the end: %s", e.getMessage());
    }
  }

  /**
   * Stops following and appends the lines of {@code pod}'s log (null when there is no pod) past
   * those already delivered. Stopping first means a late chunk of the stream can never repeat a
   * line; a half-delivered line is dropped and comes whole from the re-read.
   */
  void finish(PodResource pod, String container) {
    stop();
    if (pod == null) {
      return;
    }
    String text;
    try {
      text = pod.inContainer(container).getLog();
    } catch (RuntimeException e) {
      LOG.debugf("cannot read build pod logs: %s", e.getMessage());
      line("-----> The build's output could not be read from Kubernetes");
      return;
    }
    if (text == null || text.isEmpty()) {
      return;
    }
    String[] lines = text.split("\r?\n", -1);
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    synchronized (lock) {
      for (int i = delivered; i < count; i++) {
        log.line(lines[i]);
      }
    }
  }

  /** Stops following; idempotent. */
  void stop() {
    synchronized (lock) {
      stopped = true;
      partial.reset();
    }
    if (watch != null) {
      watch.close();
    }
  }

  /** Caller holds {@link #lock}. */
  private void emit() {
    String text = partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    if (delivered == 0 && text.startsWith(STATUS_BODY)) {
      // An error answer, not output: leave every line to the final read.
      stopped = true;
      return;
    }
    log.line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    delivered++;
  }

  /** Splits the followed stream into lines as bytes arrive. */
  private final class Lines extends OutputStream {
    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      synchronized (lock) {
        for (int i = offset; i < offset + length && !stopped; i++) {
          if (bytes[i] == '\n') {
            emit();
          } else {
            partial.write(bytes[i]);
          }
        }
      }
    }
  }
}

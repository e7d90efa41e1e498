package dev.slipway.build.executor.kubernetes;

import dev.slipway.build.executor.BuildLog;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Copies the output of the build pod's lifecycle containers into the build log, one container after
 * the other: each is followed live while it runs, then read once more when it ends for every line
 * the live stream did not deliver (all of them, where logs cannot be followed). Logs are a
 * courtesy: nothing here ever fails a build.
 */
final class PodLogFollower {

  private static final Logger LOG = Logger.getLogger(PodLogFollower.class);

  /** How the API server answers a log request it refuses; the follower does not check status. */
  private static final String STATUS_BODY = "{\"kind\":\"Status\"";

  private final BuildLog log;
  private final Object lock = new Object();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final Set<String> finished = new HashSet<>();
  private String following;
  private int delivered;
  private boolean stopped;
  private LogWatch watch;
  private boolean followFailed;
  private boolean toldUnreadable;

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

  /**
   * Starts following {@code container} of {@code pod}; does nothing while another container is
   * followed, for a container already finished, or once following has failed.
   */
  void follow(PodResource pod, String container) {
    if (watch != null || followFailed || finished.contains(container)) {
      return;
    }
    synchronized (lock) {
      following = container;
      delivered = 0;
      stopped = false;
      partial.reset();
    }
    try {
      watch = pod.inContainer(container).withReadyWaitTimeout(0).watchLog(new Lines(container));
    } catch (RuntimeException e) {
      followFailed = true;
      LOG.debugf("cannot follow build pod logs, will read them at the end: %s", e.getMessage());
    }
  }

  /**
   * Stops following {@code container} and appends the lines of its log in {@code pod} (null when
   * there is no pod) past those already delivered; later calls for it do nothing. Stopping first
   * means a late chunk of the stream can never repeat a line; a half-delivered line is dropped and
   * comes whole from the re-read.
   */
  void finish(PodResource pod, String container) {
    if (!finished.add(container)) {
      return;
    }
    int already = 0;
    if (container.equals(following)) {
      stop();
      synchronized (lock) {
        already = delivered;
        following = null;
      }
      watch = null;
    }
    if (pod == null) {
      return;
    }
    String text;
    try {
      text = pod.inContainer(container).getLog();
    } catch (RuntimeException e) {
      LOG.debugf("cannot read build pod logs of %s: %s", container, e.getMessage());
      if (!toldUnreadable) {
        toldUnreadable = true;
        line("-----> The build's output could not be read from Kubernetes");
      }
      return;
    }
    if (text == null || text.isEmpty()) {
      return;
    }
    String[] lines = text.split("\r?\n", -1);
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    synchronized (lock) {
      for (int i = already; i < count; i++) {
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

  /** Splits one container's followed stream into lines as bytes arrive. */
  private final class Lines extends OutputStream {
    private final String container;

    Lines(String container) {
      this.container = container;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      synchronized (lock) {
        // A late chunk of a container no longer followed belongs to its final read.
        if (!container.equals(following)) {
          return;
        }
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

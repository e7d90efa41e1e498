package dev.slipway.apps.process;

import java.time.Duration;
import java.util.Objects;

/**
 * How a child process tree ended.
 *
 * @param exitCode the main process's exit status as Java reports it: 0..255 on exit, 128 + signal
 *     number when killed by a signal (143 after SIGTERM, 137 after SIGKILL)
 * @param ending whether it exited by itself, timed out or was cancelled
 * @param duration from start until its output was fully drained
 */
public record ProcessResult(int exitCode, Ending ending, Duration duration) {
  public ProcessResult {
    Objects.requireNonNull(ending, "ending");
    Objects.requireNonNull(duration, "duration");
  }

  /** Exited by itself with status 0. */
  public boolean succeeded() {
    return ending == Ending.EXITED && exitCode == 0;
  }
}

package dev.slipway.apps.process;

/** Why a child process tree ended. */
public enum Ending {
  /** The process exited by itself, whatever its exit code. */
  EXITED,
  /** It ran past its {@link ProcessSpec#timeout()} and was killed. */
  TIMED_OUT,
  /** {@link RunningProcess#cancel()} killed it. */
  CANCELLED
}

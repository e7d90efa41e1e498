package dev.slipway.apps.process;

import java.util.concurrent.CompletableFuture;

/** A started child process tree. */
public interface RunningProcess {

  /** The main process's pid; with {@code setsid} it is also the tree's process group id. */
  long pid();

  /**
   * Completes once the main process has ended and its output (including output of anything it left
   * behind, which is killed) has been fully delivered to the sink. Never completes exceptionally.
   */
  CompletableFuture<ProcessResult> completion();

  /**
   * Kills the whole tree: SIGTERM, then SIGKILL after the grace period. Does nothing once the
   * process has ended; the result's ending is {@link Ending#CANCELLED} when it was still running.
   */
  void cancel();

  /** True until {@link #completion()} is done. */
  boolean isAlive();
}

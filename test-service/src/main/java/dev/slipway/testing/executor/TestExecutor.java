package dev.slipway.testing.executor;

/**
 * Runs an app's tests from its source bundle in disposable environments, one per node, and removes
 * them afterwards. The local adapter runs child process trees in workspaces; a Kubernetes adapter
 * would run a Job per node in an ephemeral namespace.
 */
public interface TestExecutor {

  /** Runs {@code job}, reporting progress to {@code listener}; blocks until every node ended. */
  TestExecution run(TestJob job, RunListener listener);

  /** Removes what runs of a stopped previous instance may have left (databases, workspaces). */
  default void sweepAbandoned() {}
}

package dev.slipway.testing.executor;

import java.util.Set;
import java.util.UUID;

/**
 * Runs an app's tests from its source bundle in disposable environments, one per node, and removes
 * them afterwards. The local adapter runs child process trees in workspaces; a Kubernetes adapter
 * would run a Job per node in an ephemeral namespace.
 */
public interface TestExecutor {

  /** Runs {@code job}, reporting progress to {@code listener}; blocks until every node ended. */
  TestExecution run(TestJob job, RunListener listener);

  /**
   * Removes what ended or abandoned runs may have left (databases, workspaces, namespaces), keeping
   * what runs that have not ended still use: those may run on another replica (ADR 0017).
   */
  default void sweepAbandoned(Unended unended) {}

  /** Which of the given run ids name runs that have not ended. */
  @FunctionalInterface
  interface Unended {
    Set<UUID> of(Set<UUID> runIds);
  }
}

package dev.slipway.testing.commitstatus;

import java.util.concurrent.CompletionStage;

/** Puts a test run's state on its commit at the forge, so it shows next to the commit. */
public interface CommitStatusPublisher {

  /**
   * Publishes in the background: the stage completes with true when the forge accepted the status
   * and false when publishing was given up. It never completes exceptionally, and this method
   * neither throws nor blocks.
   */
  CompletionStage<Boolean> publish(CommitStatus status, ForgeCredentials credentials);
}

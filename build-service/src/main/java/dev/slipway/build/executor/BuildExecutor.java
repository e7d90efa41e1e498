package dev.slipway.build.executor;

/**
 * Turns a checked-out commit into a runnable artifact. The local adapter runs Heroku buildpacks as
 * child processes; the Kubernetes adapter runs the Cloud Native Buildpacks lifecycle in a Job.
 */
public interface BuildExecutor {

  /**
   * Builds {@code job}, writing progress to {@code log}; blocks until done.
   *
   * @throws BuildFailure when the build did not produce an artifact, saying whose fault it was
   */
  BuildProduct build(BuildJob job, BuildLog log) throws BuildFailure;
}

package dev.slipway.deploy.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where apps run: the local adapter runs Procfile processes as child processes behind the local
 * router; the Kubernetes adapter (issue #6) runs Deployments in a namespace per app. Every method
 * may block; callers run them off the event loop.
 */
public interface AppRuntime {

  /**
   * Runs one command to completion from the release's artifact with its config (the release phase,
   * {@code postdeploy}, {@code pr-predestroy}). Never touches the running processes.
   */
  OneOffResult runOneOff(ReleaseSpec release, String command, Duration timeout, OutputSink output);

  /**
   * Makes the app run {@code release}: starts its formation, waits until the {@code web} process
   * binds {@code $PORT} (boot timeout), switches traffic to it, then stops the previous release's
   * processes once their in-flight requests are done. If the new web process never comes up, the
   * new processes are stopped, the previous ones keep serving, and {@link DeployFailedException}
   * says why.
   */
  void deploy(ReleaseSpec release, OutputSink progress) throws DeployFailedException;

  /** Changes how many processes of each type the current release runs (absent types: 0). */
  void scale(String app, Map<String, Integer> formation);

  /** Stops every process of the app and forgets it (review app teardown, app deletion). */
  void destroy(String app);

  /** Where the app's web process answers, if it has one running. */
  Optional<URI> url(String app);

  /** The app's processes as they are now. */
  List<ProcessStatus> processes(String app);

  /**
   * The last {@code tail} lines the app's processes (and the platform about them) wrote, then, if
   * {@code follow}, every new line until the returned subscription is closed.
   */
  LogSubscription logs(String app, int tail, boolean follow, OutputSink sink);

  /** One-off outcome: exit code, whether it timed out, and how long it ran. */
  record OneOffResult(int exitCode, boolean timedOut, Duration duration) {
    public boolean succeeded() {
      return exitCode == 0 && !timedOut;
    }
  }

  /** A process of an app: {@code web.1}, its state, restarts so far and last exit code. */
  record ProcessStatus(
      String name, String type, int release, State state, int restarts, Integer lastExitCode) {

    /** Heroku's dyno states. */
    public enum State {
      STARTING,
      UP,
      CRASHED,
      DOWN
    }
  }

  /** Receives output lines as they are written. */
  @FunctionalInterface
  interface OutputSink {
    void line(String line);
  }

  /** Stops a log follow. */
  interface LogSubscription extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * What to run: the app, release version, its artifact (by digest, and where the build put it: a
   * file URI for a slug, an image reference for an image; null when unknown), its config vars, the
   * process types of its Procfile, how many of each to run, and the names of the config vars that
   * are secret whatever they are called (their values are masked in the app's log).
   */
  record ReleaseSpec(
      String app,
      int version,
      String artifactDigest,
      Map<String, String> config,
      Map<String, String> processTypes,
      Map<String, Integer> formation,
      String artifactUri,
      Set<String> secretNames) {
    public ReleaseSpec {
      config = Map.copyOf(config);
      processTypes = Map.copyOf(processTypes);
      formation = Map.copyOf(formation);
      secretNames = Set.copyOf(secretNames);
    }

    /** A release none of whose config vars is declared secret (they may still look secret). */
    public ReleaseSpec(
        String app,
        int version,
        String artifactDigest,
        Map<String, String> config,
        Map<String, String> processTypes,
        Map<String, Integer> formation,
        String artifactUri) {
      this(app, version, artifactDigest, config, processTypes, formation, artifactUri, Set.of());
    }

    /** A release whose artifact is known by digest only. */
    public ReleaseSpec(
        String app,
        int version,
        String artifactDigest,
        Map<String, String> config,
        Map<String, String> processTypes,
        Map<String, Integer> formation) {
      this(app, version, artifactDigest, config, processTypes, formation, null);
    }
  }

  /** A deploy that did not switch traffic; the previous release keeps serving. */
  class DeployFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeployFailedException(String message) {
      super(message);
    }
  }
}

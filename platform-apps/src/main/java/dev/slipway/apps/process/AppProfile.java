package dev.slipway.apps.process;

import java.util.List;

/**
 * How every process of an app starts, as on Heroku: in the app's directory, {@code .profile.d/*.sh}
 * then {@code .profile} sourced before the command (so buildpack-written scripts such as the Maven
 * buildpack's {@code jdbc.sh} take effect), for dynos, the release phase, one-off runs and test
 * runs alike, locally and on Kubernetes.
 */
public final class AppProfile {

  /**
   * POSIX shell sourcing the profile of the app in the current directory. No single quote, so it
   * can be embedded in single-quoted shell text.
   */
  public static final String SOURCE =
      "for __slipway_profile in .profile.d/*.sh; do "
          + "if [ -r \"$__slipway_profile\" ]; then . \"./$__slipway_profile\"; fi; done; "
          + "unset __slipway_profile; "
          + "if [ -r .profile ]; then . ./.profile; fi; ";

  /**
   * A bash script that sources the profile, then runs its first argument with bash: the command
   * arrives as a positional parameter (saved first, since profile scripts may reset them) and
   * config only through the environment, so nothing is ever spliced into the script.
   */
  public static final String RUN_FIRST_ARGUMENT =
      "__slipway_command=\"$1\"; " + SOURCE + "exec bash -c \"$__slipway_command\"";

  private AppProfile() {}

  /** The argv running {@code command} after the profile, with {@code bash} at that path. */
  public static List<String> argv(String bash, String command) {
    return List.of(bash, "-c", RUN_FIRST_ARGUMENT, "slipway", command);
  }

  /**
   * {@code command} preceded by the profile, for a launcher that takes one command string and runs
   * it with bash (the Cloud Native Buildpacks launcher of Kubernetes images). The command is the
   * app author's own shell code, run in the app's own container, so prefixing it gives it no power
   * it did not have.
   */
  public static String inline(String command) {
    return SOURCE + command;
  }
}

package dev.slipway.apps.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to run: an argv list (never passed through a shell), a working directory, the EXACT
 * environment (nothing is inherited from the JVM; see {@link HostEnvironment#essentials()}), and an
 * optional timeout and the {@link Sandbox} it runs in.
 *
 * @param workingDirectory null to use the JVM's
 * @param timeout null for none
 * @param sandbox null to run unsandboxed (platform tools only, never user code)
 */
public record ProcessSpec(
    List<String> command,
    Path workingDirectory,
    Map<String, String> environment,
    Duration timeout,
    Sandbox sandbox) {

  public ProcessSpec {
    Objects.requireNonNull(command, "command");
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    environment =
        environment == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(environment));
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      String key = variable.getKey();
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid environment variable name: " + key);
      }
      if (variable.getValue() == null || variable.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid value for environment variable " + key);
      }
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** Unsandboxed. */
  public ProcessSpec(
      List<String> command,
      Path workingDirectory,
      Map<String, String> environment,
      Duration timeout) {
    this(command, workingDirectory, environment, timeout, null);
  }

  /** Unsandboxed, no timeout. */
  public ProcessSpec(List<String> command, Path workingDirectory, Map<String, String> environment) {
    this(command, workingDirectory, environment, null, null);
  }

  public ProcessSpec withTimeout(Duration newTimeout) {
    return new ProcessSpec(command, workingDirectory, environment, newTimeout, sandbox);
  }

  public ProcessSpec withEnvironment(Map<String, String> newEnvironment) {
    return new ProcessSpec(command, workingDirectory, newEnvironment, timeout, sandbox);
  }

  public ProcessSpec withSandbox(Sandbox newSandbox) {
    return new ProcessSpec(command, workingDirectory, environment, timeout, newSandbox);
  }
}

package dev.slipway.apps.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The wall a child process tree runs behind (bubblewrap): which host paths it may write and read
 * (bound at the same path inside, so arguments and environment need no translation), whether it
 * gets a network namespace of its own, its resource limits, and whether its code is untrusted (a
 * fork pull request), in which case it never runs without the sandbox.
 *
 * <p>Everything not listed is invisible: the platform's data directory, other workspaces, the
 * host's home, other processes. System directories and toolchains are added read-only by {@link
 * BubblewrapCommand}.
 *
 * @param writable bound read-write, e.g. the workspace and the build cache it is entitled to
 * @param readOnly bound read-only, e.g. the platform's built-in buildpacks
 * @param sockets directories bound read-only that hold Unix sockets the code may connect to (the
 *     add-on PostgreSQL's socket directory)
 * @param ownNetwork true for a private network namespace with only a loopback of its own
 * @param untrusted true for code from a stranger (a fork pull request): refused when the sandbox is
 *     unavailable instead of run without it
 */
public record Sandbox(
    List<Path> writable,
    List<Path> readOnly,
    List<Path> sockets,
    boolean ownNetwork,
    SandboxLimits limits,
    boolean untrusted,
    Path home) {

  public Sandbox {
    writable = absolute(writable, "writable");
    readOnly = absolute(readOnly, "readOnly");
    sockets = absolute(sockets, "sockets");
    Objects.requireNonNull(limits, "limits");
    home = home == null ? null : home.toAbsolutePath().normalize();
  }

  /** A trusted sandbox with the host network and the default limits. */
  public static Sandbox writing(Path... writable) {
    return new Sandbox(
        List.of(writable), List.of(), List.of(), false, SandboxLimits.defaults(), false, null);
  }

  public Sandbox withReadOnly(List<Path> more) {
    List<Path> all = new ArrayList<>(readOnly);
    all.addAll(more);
    return new Sandbox(writable, all, sockets, ownNetwork, limits, untrusted, home);
  }

  public Sandbox withSockets(List<Path> directories) {
    return new Sandbox(writable, readOnly, directories, ownNetwork, limits, untrusted, home);
  }

  public Sandbox withOwnNetwork() {
    return new Sandbox(writable, readOnly, sockets, true, limits, untrusted, home);
  }

  public Sandbox withLimits(SandboxLimits newLimits) {
    return new Sandbox(writable, readOnly, sockets, ownNetwork, newLimits, untrusted, home);
  }

  /** Marks the code as untrusted when {@code fork} is true. */
  public Sandbox untrusted(boolean fork) {
    return new Sandbox(writable, readOnly, sockets, ownNetwork, limits, fork, home);
  }

  public Sandbox withHome(Path newHome) {
    return new Sandbox(writable, readOnly, sockets, ownNetwork, limits, untrusted, newHome);
  }

  private static List<Path> absolute(List<Path> paths, String what) {
    Objects.requireNonNull(paths, what);
    List<Path> result = new ArrayList<>();
    for (Path path : paths) {
      Objects.requireNonNull(path, what);
      result.add(path.toAbsolutePath().normalize());
    }
    return List.copyOf(result);
  }
}

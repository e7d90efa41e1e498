package dev.slipway.apps.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the command line that runs a command inside a {@link Sandbox}: optional cgroup join, then
 * {@code prlimit} rlimits, then {@code bwrap} with fresh PID/IPC/UTS (and optionally network)
 * namespaces, a new session, a fresh {@code /proc}, {@code /dev} and private {@code /tmp}, the
 * system read-only and only the sandbox's paths bound; as root the command itself is started
 * through {@code setpriv} as {@link SandboxHost#SANDBOX_UID} with no capabilities and no new
 * privileges. Pure: it only looks at its arguments. Nothing secret is ever on this command line;
 * the environment passes through bwrap unchanged.
 */
public final class BubblewrapCommand {

  /** Writes the wrapper's own pid into each cgroup given as an argument, then execs the rest. */
  static final String CGROUP_JOIN =
      "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

  private BubblewrapCommand() {}

  /**
   * @param cgroupProcs {@code cgroup.procs} files the tree joins before anything runs (empty when
   *     the platform cannot create cgroups)
   * @param workingDirectory absolute, inside one of the sandbox's paths
   * @param command the command with its executable resolved to an absolute path
   */
  public static List<String> argv(
      SandboxHost host,
      Sandbox sandbox,
      List<String> cgroupProcs,
      Path workingDirectory,
      List<String> command) {
    List<String> argv = new ArrayList<>();
    if (!cgroupProcs.isEmpty()) {
      argv.addAll(List.of("/bin/sh", "-c", CGROUP_JOIN, "slipway-cgroup"));
      argv.addAll(cgroupProcs);
      argv.add("--");
    }
    List<String> rlimits = rlimits(sandbox.limits(), !cgroupProcs.isEmpty());
    if (host.prlimit() != null && !rlimits.isEmpty()) {
      argv.add(host.prlimit().toString());
      argv.addAll(rlimits);
      argv.add("--");
    }
    argv.add(host.bwrap().toString());
    argv.addAll(
        List.of(
            "--die-with-parent",
            "--new-session",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--hostname",
            "slipway"));
    if (!host.root()) {
      // Unprivileged: bwrap's own user namespace, and none nested inside it.
      argv.addAll(List.of("--unshare-user", "--disable-userns"));
    }
    if (sandbox.ownNetwork()) {
      argv.add("--unshare-net");
    }
    for (Map.Entry<String, String> dir : host.topLevel().entrySet()) {
      if (dir.getValue() == null) {
        argv.addAll(List.of("--ro-bind", dir.getKey(), dir.getKey()));
      } else {
        argv.addAll(List.of("--symlink", dir.getValue(), dir.getKey()));
      }
    }
    if (!host.etc().isEmpty()) {
      // Else bwrap makes /etc 0700 for the files bound below, and the sandbox user cannot enter.
      argv.addAll(List.of("--perms", "0755", "--dir", "/etc"));
    }
    for (Path file : host.etc()) {
      argv.addAll(List.of("--ro-bind-try", file.toString(), file.toString()));
    }
    argv.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    argv.addAll(List.of("--perms", "1777"));
    if (sandbox.limits().diskBytes() > 0) {
      // The private /tmp is not among the watched paths: the kernel bounds it instead.
      argv.addAll(List.of("--size", Long.toString(sandbox.limits().diskBytes())));
    }
    argv.addAll(List.of("--tmpfs", "/tmp"));
    Map<Path, String> binds = new LinkedHashMap<>();
    host.toolchains().forEach(p -> binds.put(p, "--ro-bind"));
    // Operator-configured extras may be absent on this machine: skipped, not an error.
    sandbox.readOnly().forEach(p -> binds.put(p, "--ro-bind-try"));
    sandbox.sockets().forEach(p -> binds.put(p, "--ro-bind"));
    sandbox.writable().forEach(p -> binds.put(p, "--bind"));
    Set<Path> made = new LinkedHashSet<>();
    binds.keySet().stream()
        .sorted(Comparator.comparingInt(Path::getNameCount))
        .forEach(
            path -> {
              // Parents bwrap would otherwise create with the host's (often 0700) modes.
              for (int i = 1; i < path.getNameCount(); i++) {
                Path parent = path.getRoot().resolve(path.subpath(0, i));
                if (!isSystem(parent, host) && !binds.containsKey(parent) && made.add(parent)) {
                  argv.addAll(List.of("--perms", "0755", "--dir", parent.toString()));
                }
              }
              argv.addAll(List.of(binds.get(path), path.toString(), path.toString()));
            });
    argv.addAll(List.of("--chdir", workingDirectory.toString(), "--"));
    if (host.root()) {
      argv.addAll(
          List.of(
              host.setpriv().toString(),
              "--reuid=" + SandboxHost.SANDBOX_UID,
              "--regid=" + SandboxHost.SANDBOX_UID,
              "--clear-groups",
              "--no-new-privs",
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--"));
    }
    argv.addAll(command);
    return argv;
  }

  /**
   * Per-process rlimits; memory and process count only when no cgroup enforces them for the whole
   * tree. RLIMIT_DATA, not RLIMIT_AS: JVMs and V8 reserve address space far beyond what they use.
   */
  static List<String> rlimits(SandboxLimits limits, boolean cgroup) {
    List<String> args = new ArrayList<>();
    if (limits.openFiles() > 0) {
      args.add("--nofile=" + limits.openFiles());
    }
    if (limits.fileSizeBytes() > 0) {
      args.add("--fsize=" + limits.fileSizeBytes());
    }
    if (limits.cpuSeconds() > 0) {
      // Soft limit sends SIGXCPU; the hard one, a little later, SIGKILL.
      args.add("--cpu=" + limits.cpuSeconds() + ":" + (limits.cpuSeconds() + 5));
    }
    if (!cgroup && limits.memoryBytes() > 0) {
      args.add("--data=" + limits.memoryBytes());
    }
    if (!cgroup && limits.processes() > 0) {
      args.add("--nproc=" + limits.processes());
    }
    return args;
  }

  /**
   * The environment inside: HOME is the sandbox's home when it has one; HOME and TMPDIR move to the
   * private {@code /tmp} when they point somewhere the sandbox cannot see (the platform user's
   * home).
   */
  public static Map<String, String> environment(
      Map<String, String> environment, Sandbox sandbox, SandboxHost host) {
    Map<String, String> result = new LinkedHashMap<>(environment);
    if (sandbox.home() != null) {
      result.put("HOME", sandbox.home().toString());
    }
    for (String key : List.of("HOME", "TMPDIR")) {
      String value = result.get(key);
      if (value == null || !visible(Path.of(value), sandbox)) {
        result.put(key, "/tmp");
      }
    }
    if (host.root()) {
      result.put("USER", "nobody");
    }
    return result;
  }

  private static boolean visible(Path path, Sandbox sandbox) {
    if (!path.isAbsolute()) {
      return false;
    }
    Path normal = path.normalize();
    if (normal.equals(Path.of("/tmp"))) {
      return true;
    }
    for (Path p : sandbox.writable()) {
      if (normal.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSystem(Path parent, SandboxHost host) {
    String first = "/" + parent.getName(0);
    return host.topLevel().containsKey(first)
        || parent.toString().equals("/tmp")
        || parent.toString().equals("/proc")
        || parent.toString().equals("/dev");
  }
}

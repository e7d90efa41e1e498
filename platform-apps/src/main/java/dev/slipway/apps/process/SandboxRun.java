package dev.slipway.apps.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One sandboxed start: its writable paths handed to the sandbox user, its cgroup, its disk quota,
 * and after the tree has ended, the line telling the log which limit killed it.
 */
final class SandboxRun {

  private final SandboxLimits limits;
  private final SandboxCgroup cgroup;
  private final List<Path> writable;
  private DiskQuota diskQuota;

  private SandboxRun(SandboxLimits limits, SandboxCgroup cgroup, List<Path> writable) {
    this.limits = limits;
    this.cgroup = cgroup;
    this.writable = writable;
  }

  static SandboxRun prepare(SandboxHost host, Sandbox sandbox) throws IOException {
    if (host.root()) {
      for (Path path : sandbox.writable()) {
        handOver(path);
      }
    }
    return new SandboxRun(
        sandbox.limits(),
        host.root() ? SandboxCgroup.create(sandbox.limits()).orElse(null) : null,
        sandbox.writable());
  }

  /**
   * Starts watching the writable paths against the disk quota, if there is one; {@code kill} ends
   * the tree when they hold more.
   */
  void watchDisk(long pid, Runnable kill) {
    if (limits.diskBytes() > 0 && !writable.isEmpty()) {
      diskQuota = new DiskQuota(writable, limits.diskBytes(), kill);
      diskQuota.start(Long.toString(pid));
    }
  }

  List<String> cgroupProcs() {
    return cgroup == null ? List.of() : cgroup.procsFiles();
  }

  /** The log line for a tree that ended with {@code exitCode}, if a limit ended it. */
  Optional<String> verdict(int exitCode) {
    if (diskQuota != null && diskQuota.exceeded()) {
      return Optional.of(
          "killed: disk quota (" + SandboxLimits.megabytes(limits.diskBytes()) + ")");
    }
    return verdict(
        limits,
        exitCode,
        cgroup == null ? 0 : cgroup.oomKills(),
        cgroup == null ? 0 : cgroup.processLimitHits());
  }

  void close() {
    if (diskQuota != null) {
      diskQuota.stop();
    }
    if (cgroup != null) {
      cgroup.remove();
    }
  }

  /**
   * Which limit ended a tree: the memory cgroup's OOM kills, the pids cgroup's refused forks, or
   * the main process killed by SIGXCPU (152) or SIGXFSZ (153).
   */
  static Optional<String> verdict(
      SandboxLimits limits, int exitCode, long oomKills, long processLimitHits) {
    if (oomKills > 0) {
      return Optional.of(
          "killed: memory limit (" + SandboxLimits.megabytes(limits.memoryBytes()) + ")");
    }
    if (exitCode == 128 + 24 && limits.cpuSeconds() > 0) {
      return Optional.of("killed: CPU time limit (" + limits.cpuSeconds() + " s)");
    }
    if (exitCode == 128 + 25 && limits.fileSizeBytes() > 0) {
      return Optional.of(
          "killed: file size limit (" + SandboxLimits.megabytes(limits.fileSizeBytes()) + ")");
    }
    if (processLimitHits > 0) {
      return Optional.of(
          "killed: process limit ("
              + limits.processes()
              + " processes): new processes were refused");
    }
    return Optional.empty();
  }

  /**
   * Gives the sandbox user the workspace the platform (root) prepared. Never follows symlinks and
   * skips files with several hard links, so a planted link cannot hand over a platform file.
   */
  private static void handOver(Path root) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (uid == SandboxHost.SANDBOX_UID) {
          continue;
        }
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        int links = (Integer) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (!directory && links > 1) {
          continue;
        }
        Files.setAttribute(path, "unix:uid", SandboxHost.SANDBOX_UID, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", SandboxHost.SANDBOX_UID, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }
}

package dev.slipway.apps.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The cgroup (v1 {@code memory} and {@code pids} controllers) holding one sandboxed process tree,
 * so its memory and process count are limited for the tree as a whole and a kill by the memory
 * limit can be told apart from a crash. Only where the platform may create cgroups (root);
 * elsewhere the limits fall back to per-process rlimits.
 */
final class SandboxCgroup {

  private static final Path V1 = Path.of("/sys/fs/cgroup");

  private final List<Path> dirs;
  private final Path memory;
  private final Path pids;

  private SandboxCgroup(Path memory, Path pids) {
    this.memory = memory;
    this.pids = pids;
    this.dirs = new ArrayList<>();
    if (memory != null) {
      dirs.add(memory);
    }
    if (pids != null) {
      dirs.add(pids);
    }
  }

  /** Whether this process may create v1 memory and pids cgroups under its own. */
  static boolean supported() {
    return base("memory").isPresent() && base("pids").isPresent();
  }

  /** Creates the cgroups with {@code limits}; empty when not supported or creation failed. */
  static Optional<SandboxCgroup> create(SandboxLimits limits) {
    if (limits.memoryBytes() == 0 && limits.processes() == 0) {
      return Optional.empty();
    }
    Optional<Path> memoryBase = base("memory");
    Optional<Path> pidsBase = base("pids");
    if (memoryBase.isEmpty() || pidsBase.isEmpty()) {
      return Optional.empty();
    }
    String name = "slipway-sandbox-" + UUID.randomUUID();
    SandboxCgroup cgroup =
        new SandboxCgroup(memoryBase.get().resolve(name), pidsBase.get().resolve(name));
    try {
      Files.createDirectory(cgroup.memory);
      Files.createDirectory(cgroup.pids);
      if (limits.memoryBytes() > 0) {
        Files.writeString(
            cgroup.memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        Path swap = cgroup.memory.resolve("memory.memsw.limit_in_bytes");
        if (Files.isWritable(swap)) {
          Files.writeString(swap, Long.toString(limits.memoryBytes()));
        }
      }
      if (limits.processes() > 0) {
        Files.writeString(cgroup.pids.resolve("pids.max"), Integer.toString(limits.processes()));
      }
      return Optional.of(cgroup);
    } catch (IOException e) {
      cgroup.remove();
      return Optional.empty();
    }
  }

  /** The {@code cgroup.procs} files the tree's first process writes itself into. */
  List<String> procsFiles() {
    return dirs.stream().map(d -> d.resolve("cgroup.procs").toString()).toList();
  }

  /** How often the kernel's OOM killer killed a process of the tree. */
  long oomKills() {
    return counter(memory.resolve("memory.oom_control"), "oom_kill");
  }

  /** How often a fork was refused because the tree was at its process limit. */
  long processLimitHits() {
    return counter(pids.resolve("pids.events"), "max");
  }

  /** Removes the cgroups; they are empty once the tree has ended (retried while it drains). */
  void remove() {
    for (Path dir : dirs) {
      for (int attempt = 0; attempt < 50 && Files.exists(dir); attempt++) {
        try {
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  private static long counter(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 2 && parts[0].equals(key)) {
          return Long.parseLong(parts[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone or unreadable: no verdict from it.
    }
    return 0;
  }

  /** The directory of this process's own cgroup in a v1 controller, when it is writable. */
  private static Optional<Path> base(String controller) {
    Path mount = V1.resolve(controller);
    if (!Files.isRegularFile(mount.resolve("cgroup.procs"))) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        String[] parts = line.split(":", 3);
        if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
          Path own = mount.resolve(parts[2].substring(1));
          return Files.isDirectory(own) && Files.isWritable(own)
              ? Optional.of(own)
              : Optional.empty();
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}

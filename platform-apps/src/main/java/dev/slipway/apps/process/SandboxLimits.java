package dev.slipway.apps.process;

import java.util.Locale;

/**
 * Resource limits of one sandboxed process tree. Memory and process count apply to the whole tree
 * when the platform may create cgroups (root), else per process as rlimits ({@code RLIMIT_DATA},
 * {@code RLIMIT_NPROC}); open files, file size and CPU time are always per-process rlimits. Never
 * {@code RLIMIT_AS}: JVMs and Node reserve far more address space than they use. The disk quota
 * bounds what the tree keeps in its writable paths and its private {@code /tmp}, however many files
 * it spreads it over.
 *
 * @param memoryBytes resident memory of the tree; 0 for none
 * @param processes processes (and threads) of the tree; 0 for none
 * @param openFiles open file descriptors per process; 0 for none
 * @param fileSizeBytes largest file a process may write; 0 for none
 * @param cpuSeconds CPU time per process; 0 for none (wall time is the spec's timeout)
 * @param diskBytes what the tree's writable paths may hold together, and the size of its {@code
 *     /tmp}; 0 for none
 */
public record SandboxLimits(
    long memoryBytes,
    int processes,
    int openFiles,
    long fileSizeBytes,
    long cpuSeconds,
    long diskBytes) {

  private static final long MB = 1024L * 1024;

  public SandboxLimits {
    if (memoryBytes < 0
        || processes < 0
        || openFiles < 0
        || fileSizeBytes < 0
        || cpuSeconds < 0
        || diskBytes < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
    if (memoryBytes > 0 && memoryBytes < 16 * MB) {
      throw new IllegalArgumentException("memory limit below 16 MB: " + memoryBytes);
    }
    if (processes > 0 && processes < 8) {
      throw new IllegalArgumentException("process limit below 8: " + processes);
    }
  }

  /**
   * Enough for a real Maven or npm build (a Maven JVM with {@code -Xmx1024m} plus forked test JVMs
   * and node-gyp): 4 GB, 2048 processes and threads, 8192 open files, 4 GB files, no CPU limit, 10
   * GB on disk (a workspace with a warm Maven or npm cache uses one or two).
   */
  public static SandboxLimits defaults() {
    return new SandboxLimits(4096 * MB, 2048, 8192, 4096 * MB, 0, 10240 * MB);
  }

  public SandboxLimits withMemoryMegabytes(long megabytes) {
    return new SandboxLimits(
        megabytes * MB, processes, openFiles, fileSizeBytes, cpuSeconds, diskBytes);
  }

  public SandboxLimits withProcesses(int count) {
    return new SandboxLimits(memoryBytes, count, openFiles, fileSizeBytes, cpuSeconds, diskBytes);
  }

  public SandboxLimits withFileSizeMegabytes(long megabytes) {
    return new SandboxLimits(
        memoryBytes, processes, openFiles, megabytes * MB, cpuSeconds, diskBytes);
  }

  public SandboxLimits withCpuSeconds(long seconds) {
    return new SandboxLimits(memoryBytes, processes, openFiles, fileSizeBytes, seconds, diskBytes);
  }

  public SandboxLimits withDiskMegabytes(long megabytes) {
    return new SandboxLimits(
        memoryBytes, processes, openFiles, fileSizeBytes, cpuSeconds, megabytes * MB);
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%d MB", bytes / MB);
  }
}

package dev.slipway.apps.process;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches what a sandboxed tree keeps in its writable paths and kills the tree once they hold more
 * than its quota: RLIMIT_FSIZE bounds one file, not a script writing many. Measured by walking the
 * paths (the kernel offers no per-directory quota without a dedicated filesystem), every file
 * counted in whole 4 KiB blocks and every directory as one, so a million empty files count too.
 */
final class DiskQuota {

  /** The filesystem block most local filesystems allocate by. */
  static final long BLOCK = 4096;

  private static final Duration MIN_PAUSE = Duration.ofMillis(500);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final List<Path> roots;
  private final long quotaBytes;
  private final Runnable kill;
  private volatile boolean exceeded;
  private volatile boolean stopped;
  private Thread thread;

  /**
   * @param roots the writable paths; one inside another is measured once
   * @param kill ends the tree; called at most once, on the watcher's thread
   */
  DiskQuota(List<Path> roots, long quotaBytes, Runnable kill) {
    this.roots = outermost(roots);
    this.quotaBytes = quotaBytes;
    this.kill = kill;
  }

  /** Starts watching on a daemon thread of its own, since a walk may take a while. */
  void start(String name) {
    thread = new Thread(this::watch, "slipway-disk-quota-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The paths measured: the writable ones, without those inside another. */
  List<Path> roots() {
    return roots;
  }

  /** Whether the tree was killed for going over the quota. */
  boolean exceeded() {
    return exceeded;
  }

  void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void watch() {
    while (!stopped) {
      long begun = System.nanoTime();
      if (usage(roots, quotaBytes) > quotaBytes) {
        exceeded = true;
        if (!stopped) {
          kill.run();
        }
        return;
      }
      // A walk costs in proportion to the files; wait long enough for it to stay a small share.
      long pause = Math.max(MIN_PAUSE.toNanos(), 10 * (System.nanoTime() - begun));
      try {
        Thread.sleep(Math.min(pause, MAX_PAUSE.toNanos()) / 1_000_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * What {@code roots} hold, in whole blocks; stops counting once past {@code limit}, so a walk
   * over a tree of millions of files ends as soon as the verdict is clear. Never follows symlinks.
   */
  static long usage(List<Path> roots, long limit) {
    long[] total = {0};
    for (Path root : roots) {
      try {
        Files.walkFileTree(
            root,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                total[0] += BLOCK;
                return total[0] > limit ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += Math.max(BLOCK, (attrs.size() + BLOCK - 1) / BLOCK * BLOCK);
                return total[0] > limit ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (tooDeep(e)) {
                  // Files nested past PATH_MAX cannot be measured, so could hide any amount:
                  // a tree that cannot be measured counts as over its quota.
                  total[0] = Long.MAX_VALUE / 2;
                  return FileVisitResult.TERMINATE;
                }
                // Deleted while walking: the tree is changing under the walk.
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (IOException e) {
        // The root went away: nothing of it to count.
      }
      if (total[0] > limit) {
        break;
      }
    }
    return total[0];
  }

  private static boolean tooDeep(IOException e) {
    return e instanceof FileSystemException
        && e.getMessage() != null
        && e.getMessage().contains("File name too long");
  }

  private static List<Path> outermost(List<Path> paths) {
    List<Path> result = new ArrayList<>();
    for (Path path : paths) {
      boolean nested = false;
      for (Path other : paths) {
        if (!other.equals(path) && path.startsWith(other)) {
          nested = true;
        }
      }
      if (!nested && !result.contains(path)) {
        result.add(path);
      }
    }
    return List.copyOf(result);
  }
}

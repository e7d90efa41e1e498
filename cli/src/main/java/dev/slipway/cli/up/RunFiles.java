package dev.slipway.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code <data-dir>/run/}: the running {@code slipway up}'s pid, the pids of what it started (so
 * that {@code slipway down} can clean up after a crashed one) and the stop request {@code down}
 * leaves for it.
 */
public final class RunFiles {

  /** A process {@code up} started, with its start time so a reused pid is not mistaken for it. */
  public record Child(String name, long pid, long startMillis) {

    /** The process if it is still the one that was started. */
    public Optional<ProcessHandle> handle() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  startMillis == 0
                      || h.info()
                          .startInstant()
                          .map(i -> Math.abs(i.toEpochMilli() - startMillis) < 2000)
                          .orElse(true));
    }

    public static Child of(String name, ProcessHandle h) {
      return new Child(
          name, h.pid(), h.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }
  }

  private final Path dir;

  public RunFiles(Path dataDir) {
    this.dir = dataDir.resolve("run");
  }

  public Path stopFile() {
    return dir.resolve("stop");
  }

  /** The running {@code up}, if its pid file names a live process. */
  public Optional<Child> up() {
    return read("up.pid").stream().findFirst().filter(c -> c.handle().isPresent());
  }

  public List<Child> children() {
    return read("children");
  }

  /**
   * Stops every recorded child that still runs (a crashed or killed {@code up} left it), all at
   * once: SIGTERM, then SIGKILL after {@code grace}. Says one line per process; returns how many.
   */
  public int stopLeftovers(Duration grace, Consumer<String> say) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (Child child : children()) {
      child
          .handle()
          .ifPresent(
              h -> {
                say.accept("Stopping leftover " + child.name() + " (pid " + child.pid() + ")");
                h.destroy();
                stops.add(
                    h.onExit()
                        .completeOnTimeout(h, grace.toMillis(), TimeUnit.MILLISECONDS)
                        .thenAccept(ProcessHandle::destroyForcibly)
                        .thenCompose(x -> h.onExit())
                        .thenApply(x -> null));
              });
    }
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    return stops.size();
  }

  public void writeUp(ProcessHandle self) {
    write("up.pid", List.of(Child.of("slipway-up", self)));
  }

  public synchronized void writeChildren(List<Child> children) {
    write("children", children);
  }

  public void requestStop() {
    try {
      Files.createDirectories(dir);
      Files.writeString(stopFile(), "stop\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stopFile(), e);
    }
  }

  public boolean stopRequested() {
    return Files.exists(stopFile());
  }

  /**
   * Blocks until {@link #requestStop()} was called (by any process) or the thread is interrupted.
   * Woken by a file-system watch on the run directory; {@code recheck} bounds the wait should the
   * watch miss the event.
   */
  public void awaitStopRequest(Duration recheck) throws InterruptedException {
    try (WatchService watch = dir.getFileSystem().newWatchService()) {
      Files.createDirectories(dir);
      dir.register(
          watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      while (!stopRequested()) {
        WatchKey key = watch.poll(recheck.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    } catch (IOException e) {
      // No watch available: fall back to checking now and then.
      while (!stopRequested()) {
        Thread.sleep(recheck.toMillis());
      }
    }
  }

  /** Removes every run file: nothing runs any more. */
  public void clear() {
    for (String f : List.of("up.pid", "children", "stop")) {
      try {
        Files.deleteIfExists(dir.resolve(f));
      } catch (IOException e) {
        // a leftover file is harmless: pids are checked against their start time
      }
    }
  }

  public void clearStopRequest() {
    try {
      Files.deleteIfExists(stopFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + stopFile(), e);
    }
  }

  private List<Child> read(String file) {
    Path path = dir.resolve(file);
    List<Child> out = new ArrayList<>();
    if (!Files.isRegularFile(path)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(path)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 3) {
          out.add(new Child(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return out;
    }
    return out;
  }

  private void write(String file, List<Child> children) {
    StringBuilder text = new StringBuilder();
    children.forEach(
        c ->
            text.append(c.name())
                .append(' ')
                .append(c.pid())
                .append(' ')
                .append(c.startMillis())
                .append('\n'));
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(file + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(file), e);
    }
  }
}

package dev.slipway.apps.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** One started process tree: drains its output, enforces its timeout and kills it on request. */
final class ChildProcess implements RunningProcess {
  private final Process process;
  private final boolean grouped;
  private final Duration grace;
  private final LineSink sink;
  private final long started;
  private final SandboxRun sandbox;
  private final Object sinkLock = new Object();
  private final AtomicReference<Ending> ending = new AtomicReference<>();
  private final CompletableFuture<ProcessResult> completion = new CompletableFuture<>();
  private final List<ProcessHandle> seen = new ArrayList<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private final CountDownLatch drained = new CountDownLatch(2);
  private volatile int exitCode = -1;
  private volatile boolean exited;
  private boolean finished;

  private ChildProcess(
      Process process,
      boolean grouped,
      Duration grace,
      LineSink sink,
      long started,
      SandboxRun sandbox) {
    this.process = process;
    this.grouped = grouped;
    this.grace = grace;
    this.sink = sink;
    this.started = started;
    this.sandbox = sandbox;
  }

  /**
   * @param sandbox null when not sandboxed
   */
  static ChildProcess watch(
      Process process,
      boolean grouped,
      Duration timeout,
      Duration grace,
      LineSink sink,
      long started,
      SandboxRun sandbox) {
    ChildProcess child = new ChildProcess(process, grouped, grace, sink, started, sandbox);
    child.drainer(process.getInputStream(), Channel.STDOUT);
    child.drainer(process.getErrorStream(), Channel.STDERR);
    if (sandbox != null) {
      // Past the quota the tree is killed at once: bubblewrap's death ends everything inside.
      sandbox.watchDisk(process.pid(), () -> child.signal(true));
    }
    if (timeout != null) {
      child.schedule(() -> child.terminate(Ending.TIMED_OUT), timeout);
    }
    Thread waiter = new Thread(child::await, "slipway-process-" + process.pid());
    waiter.setDaemon(true);
    waiter.start();
    return child;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public CompletableFuture<ProcessResult> completion() {
    return completion;
  }

  @Override
  public void cancel() {
    terminate(Ending.CANCELLED);
  }

  @Override
  public boolean isAlive() {
    return !completion.isDone();
  }

  private void await() {
    try {
      exitCode = process.waitFor();
      exited = true;
      if (ending.compareAndSet(null, Ending.EXITED)) {
        // Leftovers of a tree whose main process is gone: end them like the rest of the dyno.
        signal(false);
        schedule(this::killIfDraining, grace);
      }
      drained.await();
      if (sandbox != null) {
        sandbox.verdict(exitCode).ifPresent(line -> deliver(Channel.STDERR, line));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (sandbox != null) {
        sandbox.close();
      }
      finish();
    }
  }

  private void finish() {
    synchronized (timers) {
      if (finished) {
        return;
      }
      finished = true;
      timers.forEach(timer -> timer.cancel(false));
      timers.clear();
    }
    // Completed outside the lock: dependent stages run on this thread.
    completion.complete(
        new ProcessResult(
            exitCode,
            ending.get() == null ? Ending.EXITED : ending.get(),
            Duration.ofNanos(System.nanoTime() - started)));
  }

  private void terminate(Ending why) {
    if (completion.isDone() || !ending.compareAndSet(null, why)) {
      return;
    }
    signal(false);
    schedule(this::killIfDraining, grace);
  }

  private void killIfDraining() {
    if (!completion.isDone()) {
      signal(true);
      schedule(this::abandonIfDraining, grace);
    }
  }

  /**
   * Something that left the process group (a daemon calling setsid) may hold the output open
   * forever; after SIGKILL and another grace period the result no longer waits for it.
   */
  private void abandonIfDraining() {
    if (completion.isDone()) {
      return;
    }
    if (exited) {
      finish();
    } else {
      schedule(this::abandonIfDraining, grace);
    }
  }

  /**
   * Signals the group, then each known process outside it (one that called setsid itself). Members
   * of the group get no second signal: many servers take a second SIGTERM as "quit now". Never uses
   * {@link Process#destroy()}, which also closes the output pipes and so loses what the tree prints
   * while shutting down.
   *
   * <p>In a sandbox the main process is bubblewrap, whose death SIGKILLs everything inside: SIGTERM
   * therefore goes only to the processes inside (the namespace's init ignores it), so the app can
   * shut down gracefully; SIGKILL goes to bubblewrap and tears the namespace down.
   */
  private void signal(boolean kill) {
    List<ProcessHandle> targets = new ArrayList<>();
    synchronized (seen) {
      // Descendants seen at SIGTERM time may be orphaned by SIGKILL time; remember them.
      process.toHandle().descendants().forEach(seen::add);
      if (kill || sandbox == null) {
        targets.add(process.toHandle());
      }
      targets.addAll(seen);
    }
    boolean groupSignalled =
        (kill || sandbox == null) && grouped && signalGroup(kill ? "KILL" : "TERM");
    for (ProcessHandle handle : targets) {
      if (groupSignalled && inGroup(handle.pid())) {
        continue;
      }
      if (kill) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    }
  }

  /** Whether {@code pid} is in this tree's process group; a process already gone counts as in. */
  private boolean inGroup(long pid) {
    if (pid == process.pid()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // After the command name in parentheses: state, ppid, pgrp.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]) == process.pid();
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** Returns whether the group was signalled, so the caller need not signal members itself. */
  private boolean signalGroup(String name) {
    // The main process is the group leader (setsid), so its pid is the group id.
    ProcessBuilder builder =
        new ProcessBuilder(ChildProcesses.KILL.toString(), "-" + name, "--", "-" + process.pid())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    try {
      Process killer = builder.start();
      if (!killer.waitFor(5, TimeUnit.SECONDS)) {
        killer.destroyForcibly();
        return false;
      }
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void schedule(Runnable action, Duration delay) {
    synchronized (timers) {
      if (finished) {
        return;
      }
      timers.add(ChildProcesses.TIMERS.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS));
    }
  }

  private void drainer(InputStream stream, Channel channel) {
    Thread thread =
        new Thread(
            () -> {
              try {
                drain(stream, channel);
              } finally {
                drained.countDown();
              }
            },
            "slipway-process-" + process.pid() + "-" + channel.name().toLowerCase());
    thread.setDaemon(true);
    thread.start();
  }

  private void drain(InputStream stream, Channel channel) {
    OutputLines.split(stream, text -> deliver(channel, text));
  }

  private void deliver(Channel channel, String text) {
    synchronized (sinkLock) {
      if (completion.isDone()) {
        return;
      }
      try {
        sink.accept(channel, text);
      } catch (RuntimeException e) {
        // A failing sink must not stop the draining, or the child would block on a full pipe.
      }
    }
  }
}

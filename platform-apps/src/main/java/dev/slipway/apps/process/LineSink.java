package dev.slipway.apps.process;

/**
 * Receives a child process's output line by line, as it is produced. Calls are serialized (never
 * concurrent, even across channels), so an implementation need not be thread-safe; lines arrive in
 * order per channel. A line has no terminator; one longer than {@link
 * ChildProcesses#MAX_LINE_CHARS} arrives in pieces. An exception thrown by the sink is swallowed so
 * output keeps draining.
 */
@FunctionalInterface
public interface LineSink {
  void accept(Channel channel, String line);

  /** Discards everything. */
  static LineSink discard() {
    return (channel, line) -> {};
  }
}

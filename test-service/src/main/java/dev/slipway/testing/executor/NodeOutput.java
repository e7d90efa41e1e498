package dev.slipway.testing.executor;

/**
 * Where one node writes its output, line by line, as it happens; closed when the node ends. It has
 * a byte cap: past it one truncation line is kept, the rest discarded, and the executor stops the
 * node's process ({@link #capped()}).
 */
public interface NodeOutput extends AutoCloseable {

  void line(String text);

  /** Whether the output reached its cap; the executor then stops the process and fails the node. */
  default boolean capped() {
    return false;
  }

  /** {@code output over 4 MB} once {@link #capped()}, else null. */
  default String cappedReason() {
    return null;
  }

  @Override
  void close();
}

package dev.slipway.testing.executor;

/** Where one node writes its output, line by line, as it happens; closed when the node ends. */
public interface NodeOutput extends AutoCloseable {

  void line(String text);

  @Override
  void close();
}

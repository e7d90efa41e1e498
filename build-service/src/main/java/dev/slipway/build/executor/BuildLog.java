package dev.slipway.build.executor;

/** Where a build writes its output, line by line, as it happens. */
@FunctionalInterface
public interface BuildLog {

  void line(String text);
}

package dev.slipway.apps.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits user output into lines as it arrives, cutting a line at {@link
 * ChildProcesses#MAX_LINE_CHARS} so that one that never ends costs bounded memory: the one way
 * output of user code is read, from a local child process or from a pod's log.
 */
public final class OutputLines {

  private OutputLines() {}

  /**
   * Reads {@code stream} (UTF-8) until it ends or breaks and hands every line, without its {@code
   * \n} or {@code \r\n}, to {@code line}; a longer line arrives in pieces of {@link
   * ChildProcesses#MAX_LINE_CHARS}, and a last line without terminator arrives too.
   */
  public static void split(InputStream stream, Consumer<String> line) {
    StringBuilder current = new StringBuilder();
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      char[] buffer = new char[8192];
      for (int n; (n = reader.read(buffer)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c == '\n') {
            int end = current.length();
            if (end > 0 && current.charAt(end - 1) == '\r') {
              current.setLength(end - 1);
            }
            deliver(current, line);
          } else {
            current.append(c);
            if (current.length() >= ChildProcesses.MAX_LINE_CHARS
                && !Character.isHighSurrogate(c)) {
              deliver(current, line);
            }
          }
        }
      }
    } catch (IOException e) {
      // The pipe breaks when the tree is killed or the stream is closed; what was read still
      // counts.
    }
    if (current.length() > 0) {
      deliver(current, line);
    }
  }

  private static void deliver(StringBuilder current, Consumer<String> line) {
    String text = current.toString();
    current.setLength(0);
    line.accept(text);
  }
}

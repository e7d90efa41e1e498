package dev.slipway.platform.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last lines of an output that may never end (an app's log, a release phase), bounded by line
 * count and by bytes: the oldest lines go first, and once any went, a read that reaches back to the
 * oldest kept line starts with one notice saying earlier lines were discarded. Not thread-safe: its
 * owner holds its own lock.
 */
public final class OutputTail {

  private final int maxLines;
  private final long maxBytes;
  private final ArrayDeque<String> lines;
  private long bytes;
  private boolean dropped;

  public OutputTail(int maxLines, long maxBytes) {
    if (maxLines <= 0 || maxBytes <= 0) {
      throw new IllegalArgumentException(
          "tail bounds must be positive: " + maxLines + " lines, " + maxBytes + " bytes");
    }
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
    this.lines = new ArrayDeque<>(Math.min(maxLines, 4096));
  }

  public void add(String line) {
    long size = OutputCap.utf8Length(line) + 1;
    lines.addLast(line);
    bytes += size;
    while (lines.size() > maxLines || (bytes > maxBytes && lines.size() > 1)) {
      bytes -= OutputCap.utf8Length(lines.removeFirst()) + 1;
      dropped = true;
    }
  }

  /** Whether older lines were discarded to stay within the bounds. */
  public boolean dropped() {
    return dropped;
  }

  /** Lines kept, without the notice. */
  public int size() {
    return lines.size();
  }

  /**
   * The last {@code count} lines, oldest first; preceded by the truncation notice when they reach
   * back to the oldest kept line and older ones were discarded.
   */
  public List<String> last(int count) {
    int skip = Math.max(0, lines.size() - count);
    List<String> out = new ArrayList<>(Math.min(count, lines.size()) + 1);
    if (skip == 0 && dropped) {
      out.add(notice());
    }
    Iterator<String> it = lines.iterator();
    for (int i = 0; it.hasNext(); i++) {
      String line = it.next();
      if (i >= skip) {
        out.add(line);
      }
    }
    return out;
  }

  /** Names the bound that was hit, so the reader knows why the start is missing. */
  public String notice() {
    return OutputCap.NOTICE_PREFIX
        + "earlier lines were discarded (only the last "
        + OutputCap.describe(maxBytes)
        + " or "
        + maxLines
        + " lines are kept)";
  }
}

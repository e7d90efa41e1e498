package dev.slipway.platform.logs;

/**
 * The cap on one output of user code (a build log, a test node's output, a release phase): lines
 * pass until either {@code maxBytes} (UTF-8, one byte per line end) or {@code maxLines} would be
 * exceeded, then a single notice line says the rest was discarded, then nothing. The line count is
 * capped too because every stored line costs a row whatever its length ({@code yes} prints two
 * bytes a line). Thread-safe.
 */
public final class OutputCap {

  /** How every truncation notice starts, so readers (and tests) can recognise it. */
  public static final String NOTICE_PREFIX = "-----> output truncated: ";

  private final long maxBytes;
  private final int maxLines;
  private long bytes;
  private int lines;
  private String over;

  public OutputCap(long maxBytes, int maxLines) {
    if (maxBytes <= 0 || maxLines <= 0) {
      throw new IllegalArgumentException(
          "output caps must be positive: " + maxBytes + " bytes, " + maxLines + " lines");
    }
    this.maxBytes = maxBytes;
    this.maxLines = maxLines;
  }

  /** No practical cap: for output the platform itself writes in bounded amounts. */
  public static OutputCap unbounded() {
    return new OutputCap(Long.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * What to keep of {@code line}: the line itself while under the cap, the truncation notice for
   * the first line over it, null (discard) for every line after that.
   */
  public synchronized String admit(String line) {
    if (over != null) {
      return null;
    }
    long size = utf8Length(line) + 1;
    if (bytes + size > maxBytes) {
      over = describe(maxBytes);
    } else if (lines + 1 > maxLines) {
      over = maxLines + " lines";
    }
    if (over != null) {
      return NOTICE_PREFIX + "over " + over + "; the rest was discarded";
    }
    bytes += size;
    lines++;
    return line;
  }

  /** Whether the cap was reached: what followed was discarded. */
  public synchronized boolean reached() {
    return over != null;
  }

  /** {@code output over 4 MB} (or {@code over 100000 lines}), null while under the cap. */
  public synchronized String reason() {
    return over == null ? null : "output over " + over;
  }

  /** {@code 4 MB}, {@code 512 KB} or {@code 100 bytes}: whole units only when exact. */
  public static String describe(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KB";
    }
    return bytes + " bytes";
  }

  /** The UTF-8 length without encoding the string. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}

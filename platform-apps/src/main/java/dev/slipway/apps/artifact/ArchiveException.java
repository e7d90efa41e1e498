package dev.slipway.apps.artifact;

import java.io.IOException;

/** An archive that is refused: unsafe, malformed or too large; names the offending entry. */
public class ArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String entry;

  public ArchiveException(String entry, String problem) {
    super(entry == null ? problem : printable(entry) + ": " + problem);
    this.entry = entry;
  }

  public ArchiveException(String entry, String problem, Throwable cause) {
    this(entry, problem);
    initCause(cause);
  }

  /** Entry names are untrusted: keep control characters and huge names out of logs. */
  static String printable(String name) {
    StringBuilder out = new StringBuilder(Math.min(name.length(), 256));
    for (int i = 0; i < name.length() && out.length() < 256; i++) {
      char c = name.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    if (out.length() < name.length()) {
      out.append("...");
    }
    return out.toString();
  }

  /** The entry name as found in the archive (or file path when packing), null if none applies. */
  public String entry() {
    return entry;
  }
}

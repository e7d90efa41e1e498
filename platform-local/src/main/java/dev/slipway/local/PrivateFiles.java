package dev.slipway.local;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Files and directories only the platform user may read (0600 and 0700): where the platform keeps
 * its secrets (credentials, keys, a service's configuration) instead of on a command line.
 */
public final class PrivateFiles {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /** Creates {@code dir} (and its parents) if missing and makes it 0700. */
  public static Path directory(Path dir) {
    try {
      Files.createDirectories(dir);
      if (POSIX) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /**
   * Replaces {@code file} with {@code text}: written to a 0600 temporary file first and moved into
   * place, so the content is never readable by others, not even for a moment.
   */
  public static void write(Path file, String text) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp =
          POSIX
              ? Files.createTempFile(
                  dir,
                  "." + file.getFileName(),
                  ".tmp",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes {@code values} as a properties file readable by its owner only. */
  public static void writeProperties(Path file, Map<String, String> values, String comment) {
    Properties p = new Properties();
    p.putAll(values);
    StringWriter text = new StringWriter();
    try {
      p.store(text, comment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(file, text.toString());
  }

  /** The properties in {@code file}, empty when it does not exist. */
  public static Map<String, String> readProperties(Path file) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}

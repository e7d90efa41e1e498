package dev.slipway.apps.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds hand-crafted, possibly malicious, tar.gz files for tests. */
final class Tarballs {
  private final List<TarArchiveEntry> entries = new ArrayList<>();
  private final List<byte[]> contents = new ArrayList<>();

  static Tarballs tar() {
    return new Tarballs();
  }

  Tarballs file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0100644);
  }

  Tarballs file(String name, byte[] content, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.length);
    entry.setMode(mode);
    return add(entry, content);
  }

  Tarballs directory(String name) {
    return add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), null);
  }

  Tarballs symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    return add(entry, null);
  }

  Tarballs hardlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    entry.setLinkName(target);
    return add(entry, null);
  }

  Tarballs special(String name, byte type) {
    return add(new TarArchiveEntry(name, type, true), null);
  }

  private Tarballs add(TarArchiveEntry entry, byte[] content) {
    entries.add(entry);
    contents.add(content);
    return this;
  }

  Path writeTo(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < entries.size(); i++) {
        tar.putArchiveEntry(entries.get(i));
        if (contents.get(i) != null) {
          tar.write(contents.get(i));
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}

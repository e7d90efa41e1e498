package dev.slipway.apps.artifact;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Packs source trees and slugs into deterministic tar.gz files and unpacks untrusted ones without
 * letting them write, or point, outside their target directory.
 */
public final class Archives {

  /** More entries than this is an inode-exhaustion attack, not an app. */
  public static final int MAX_ENTRIES = 1_000_000;

  private static final int SYMLINK_HOPS = 40;
  private static final int FILE_MODE = 0100644;
  private static final int EXECUTABLE_MODE = 0100755;
  private static final int DIRECTORY_MODE = 040755;
  private static final int SYMLINK_MODE = 0120777;

  private static final FileAttribute<?> DIRECTORY_PERMISSIONS =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));

  private Archives() {}

  /** Packs everything under {@code sourceDir}. */
  public static void pack(Path sourceDir, Path targetTarGz) throws IOException {
    pack(sourceDir, targetTarGz, path -> true);
  }

  /**
   * Packs {@code sourceDir} into a tar.gz that depends only on the tree's names, contents,
   * executable bits and symlink targets: entries sorted, mtime 0, uid/gid 0, no user or group
   * names, modes normalised to 0644/0755, gzip header without time, name or operating system. Equal
   * trees therefore give equal digests.
   *
   * @param include gets each path relative to {@code sourceDir}; an excluded directory is skipped
   *     with everything beneath it
   * @throws ArchiveException for a symlink that is absolute or leads outside the tree, or a device,
   *     FIFO or socket
   */
  public static void pack(Path sourceDir, Path targetTarGz, Predicate<Path> include)
      throws IOException {
    Objects.requireNonNull(include, "include");
    Path source = sourceDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(source)) {
      throw new NotDirectoryException(source.toString());
    }
    Path target = targetTarGz.toAbsolutePath().normalize();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
    try {
      GzipParameters gzip = new GzipParameters();
      // No clock, no file name, no host OS in the gzip header: the same tree gives the same bytes.
      gzip.setModificationTime(0);
      gzip.setOS(GzipParameters.OS.UNKNOWN);
      gzip.setFileName(null);
      try (OutputStream file = Files.newOutputStream(temp);
          OutputStream buffered = new BufferedOutputStream(file, 64 * 1024);
          GzipCompressorOutputStream gz = new GzipCompressorOutputStream(buffered, gzip);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8")) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        packDirectory(source, source, tar, include, target, temp);
        tar.finish();
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void packDirectory(
      Path root,
      Path dir,
      TarArchiveOutputStream tar,
      Predicate<Path> include,
      Path target,
      Path temp)
      throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path child : children) {
      if (child.equals(target) || child.equals(temp)) {
        continue;
      }
      Path relative = root.relativize(child);
      if (!include.test(relative)) {
        continue;
      }
      String name = slashes(relative);
      BasicFileAttributes attributes =
          Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        Path link = Files.readSymbolicLink(child);
        if (link.isAbsolute()) {
          throw new ArchiveException(name, "symlink to absolute path " + link + " is not allowed");
        }
        if (!child.getParent().resolve(link).normalize().startsWith(root)
            || !resolvesInside(root, child)) {
          throw new ArchiveException(name, "symlink to " + link + " leads outside the tree");
        }
        TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, SYMLINK_MODE);
        entry.setLinkName(slashes(link));
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      } else if (attributes.isDirectory()) {
        tar.putArchiveEntry(entry(name + "/", TarConstants.LF_DIR, DIRECTORY_MODE));
        tar.closeArchiveEntry();
        packDirectory(root, child, tar, include, target, temp);
      } else if (attributes.isRegularFile()) {
        boolean executable =
            Files.getPosixFilePermissions(child, LinkOption.NOFOLLOW_LINKS)
                .contains(PosixFilePermission.OWNER_EXECUTE);
        TarArchiveEntry entry =
            entry(name, TarConstants.LF_NORMAL, executable ? EXECUTABLE_MODE : FILE_MODE);
        entry.setSize(attributes.size());
        tar.putArchiveEntry(entry);
        long copied = Files.copy(child, tar);
        if (copied != attributes.size()) {
          throw new ArchiveException(name, "changed size while being packed");
        }
        tar.closeArchiveEntry();
      } else {
        throw new ArchiveException(name, "devices, FIFOs and sockets cannot be packed");
      }
    }
  }

  private static TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type);
    entry.setMode(mode);
    entry.setModTime(FileTime.fromMillis(0));
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    return entry;
  }

  private static String slashes(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  /**
   * Unpacks an untrusted tar.gz into {@code targetDir} (created if needed). Refuses, naming the
   * entry, absolute names, {@code ..} segments, writes through symlinks, symlinks or hard links
   * leading outside {@code targetDir}, devices and FIFOs, and more than {@code maxBytes} of file
   * content: bytes are counted as written, so a lying header cannot get past the cap. Files get
   * mode 0755 when the entry is owner-executable, 0644 otherwise; directories 0755; ownership and
   * times are not restored. After a failure the directory holds a partial tree the caller should
   * delete, but never a symlink leading outside it.
   *
   * @return the number of file bytes written
   */
  public static long unpack(Path tarGz, Path targetDir, long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be non-negative: " + maxBytes);
    }
    Files.createDirectories(targetDir);
    Path root = targetDir.toRealPath();
    long written = 0;
    int entries = 0;
    List<Path> symlinks = new ArrayList<>();
    try (InputStream file = Files.newInputStream(tarGz);
        InputStream buffered = new BufferedInputStream(file, 64 * 1024);
        GzipCompressorInputStream gz = new GzipCompressorInputStream(buffered, true);
        TarArchiveInputStream tar = new TarArchiveInputStream(gz, "UTF-8")) {
      byte[] buffer = new byte[64 * 1024];
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        if (++entries > MAX_ENTRIES) {
          throw new ArchiveException(
              entry.getName(), "archive has more than " + MAX_ENTRIES + " entries");
        }
        String name = entry.getName();
        Path dest = inside(root, name, name);
        if (dest == null) {
          if (entry.isDirectory()) {
            continue;
          }
          throw new ArchiveException(name, "only a directory may name the archive root");
        }
        ensureParents(root, dest.getParent(), name);
        if (entry.isDirectory()) {
          if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArchiveException(name, "directory conflicts with an earlier entry");
          }
          Files.createDirectory(dest, DIRECTORY_PERMISSIONS);
        } else if (entry.isSymbolicLink()) {
          String link = entry.getLinkName();
          if (link == null || link.isEmpty() || link.indexOf('\0') >= 0) {
            throw new ArchiveException(name, "symlink has no valid target");
          }
          Path linkPath = Path.of(link);
          if (linkPath.isAbsolute()) {
            throw new ArchiveException(name, "symlink to absolute path is not allowed");
          }
          if (!dest.getParent().resolve(linkPath).normalize().startsWith(root)) {
            throw new ArchiveException(name, "symlink leads outside the target directory");
          }
          replaceable(dest, name);
          Files.createSymbolicLink(dest, linkPath);
          symlinks.add(dest);
        } else if (entry.isLink()) {
          String link = entry.getLinkName();
          Path source = inside(root, link == null ? "" : link, name);
          if (source == null
              || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
              || !physicallyInside(root, source.getParent())) {
            throw new ArchiveException(
                name, "hard link must point to a regular file extracted earlier");
          }
          replaceable(dest, name);
          Files.createLink(dest, source);
        } else if (isRegularFile(entry)) {
          if (entry.getSize() > maxBytes - written) {
            throw tooLarge(name, maxBytes);
          }
          replaceable(dest, name);
          boolean complete = false;
          try (OutputStream out =
              Files.newOutputStream(
                  dest,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = tar.read(buffer)) >= 0; ) {
              if (n > maxBytes - written) {
                throw tooLarge(name, maxBytes);
              }
              out.write(buffer, 0, n);
              written += n;
            }
            complete = true;
          } finally {
            if (!complete) {
              Files.deleteIfExists(dest);
            }
          }
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(
              dest, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          throw new ArchiveException(name, "device and FIFO entries are not allowed");
        } else {
          throw new ArchiveException(
              name, "unsupported entry type '" + (char) entry.getLinkFlag() + "'");
        }
      }
    }
    // Checked once all links exist: a link that looked contained can escape through a later one.
    for (Path link : symlinks) {
      if (!Files.isSymbolicLink(link)) {
        continue;
      }
      String name = slashes(root.relativize(link));
      boolean contained;
      try {
        contained = resolvesInside(root, link);
      } catch (ArchiveException e) {
        Files.deleteIfExists(link);
        throw e;
      }
      if (!contained) {
        Files.deleteIfExists(link);
        throw new ArchiveException(name, "symlink leads outside the target directory");
      }
    }
    return written;
  }

  /** By type flag: commons-compress's isFile() also says yes to devices and FIFOs. */
  private static boolean isRegularFile(TarArchiveEntry entry) {
    byte type = entry.getLinkFlag();
    return type == TarConstants.LF_NORMAL
        || type == TarConstants.LF_OLDNORM
        || type == TarConstants.LF_CONTIG;
  }

  private static ArchiveException tooLarge(String name, long maxBytes) {
    return new ArchiveException(
        name, "archive content exceeds the limit of " + maxBytes + " bytes");
  }

  /**
   * The path an archive name denotes under {@code root}, or null for the root itself.
   *
   * @param entry the entry reported in errors
   */
  private static Path inside(Path root, String name, String entry) throws ArchiveException {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new ArchiveException(entry, "invalid entry name");
    }
    if (name.startsWith("/")) {
      throw new ArchiveException(entry, "absolute entry names are not allowed");
    }
    Path path = root;
    for (String segment : name.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw new ArchiveException(entry, "'..' in entry names is not allowed");
      }
      path = path.resolve(segment);
    }
    if (!path.normalize().startsWith(root)) {
      throw new ArchiveException(entry, "entry resolves outside the target directory");
    }
    return path.equals(root) ? null : path;
  }

  /** Creates missing parents, refusing to go through a symlink: that is how entries escape. */
  private static void ensureParents(Path root, Path dir, String name) throws IOException {
    Path current = root;
    for (Path segment : root.relativize(dir)) {
      current = current.resolve(segment);
      if (Files.isSymbolicLink(current)) {
        throw new ArchiveException(name, "entry path goes through a symlink");
      }
      if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new ArchiveException(name, "parent " + segment + " is not a directory");
      }
      try {
        Files.createDirectory(current, DIRECTORY_PERMISSIONS);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
          throw new ArchiveException(name, "parent " + segment + " is not a directory");
        }
      }
    }
  }

  private static boolean physicallyInside(Path root, Path dir) {
    Path current = root;
    for (Path segment : root.relativize(dir)) {
      current = current.resolve(segment);
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
    }
    return true;
  }

  /** A later entry may replace an earlier file or link, as tar does, but never a directory. */
  private static void replaceable(Path dest, String name) throws IOException {
    if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new ArchiveException(name, "entry conflicts with an existing directory");
    }
    Files.deleteIfExists(dest);
  }

  /**
   * Follows {@code link} one component at a time as the kernel would, resolving nested links and
   * {@code ..} after them, and reports whether it stays under {@code root}. Missing components are
   * taken literally.
   */
  private static boolean resolvesInside(Path root, Path link) throws IOException {
    Deque<String> pending = new ArrayDeque<>();
    pushFront(pending, Files.readSymbolicLink(link));
    Path current = link.getParent();
    int hops = 0;
    while (!pending.isEmpty()) {
      String segment = pending.pop();
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        current = current.getParent();
        if (current == null || !current.startsWith(root)) {
          return false;
        }
        continue;
      }
      Path next = current.resolve(segment);
      if (Files.isSymbolicLink(next)) {
        if (++hops > SYMLINK_HOPS) {
          throw new ArchiveException(slashes(root.relativize(link)), "symlink loop");
        }
        Path target = Files.readSymbolicLink(next);
        if (target.isAbsolute()) {
          return false;
        }
        pushFront(pending, target);
      } else {
        current = next;
      }
    }
    return current.startsWith(root);
  }

  private static void pushFront(Deque<String> pending, Path target) {
    List<String> segments = new ArrayList<>();
    for (Path segment : target) {
      segments.add(segment.toString());
    }
    for (int i = segments.size() - 1; i >= 0; i--) {
      pending.push(segments.get(i));
    }
  }
}

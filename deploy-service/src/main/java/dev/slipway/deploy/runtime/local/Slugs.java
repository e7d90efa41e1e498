package dev.slipway.deploy.runtime.local;

import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.Digest;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Unpacked slugs on disk: one directory per release, {@code workDir/apps/<app>/v<version>},
 * unpacked once and shared by that release's processes.
 */
final class Slugs {
  private static final Logger LOG = Logger.getLogger(Slugs.class);
  private static final Pattern RELEASE_DIR = Pattern.compile("v(\\d+)");

  private final ArtifactStore store;
  private final Path apps;
  private final Path tmp;
  private final long maxBytes;

  Slugs(ArtifactStore store, Path workDir, long maxBytes) throws IOException {
    this.store = store;
    Path root = workDir.toAbsolutePath().normalize();
    this.apps = root.resolve("apps");
    this.tmp = root.resolve("tmp");
    this.maxBytes = maxBytes;
    Files.createDirectories(apps);
    // Half-unpacked slugs of a runtime that died; nothing else writes here.
    deleteTree(tmp);
    Files.createDirectories(tmp);
  }

  Path appDir(String app) {
    return apps.resolve(app);
  }

  /**
   * The release's unpacked slug, unpacking it first if needed. Unpacks aside and renames into
   * place, so a release directory only ever holds a complete slug, even when two callers race.
   */
  Path prepare(String app, int version, String artifactDigest) throws IOException {
    Path dir = appDir(app).resolve("v" + version);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path tarGz = store.fetch(parseDigest(artifactDigest));
    Path staging = Files.createTempDirectory(tmp, app + "-v" + version + "-");
    try {
      Archives.unpack(tarGz, staging, maxBytes);
      Files.createDirectories(dir.getParent());
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another caller unpacked the same release first; releases are immutable.
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("work directory must be on one file system", e);
      }
      return dir;
    } finally {
      deleteTree(staging);
    }
  }

  /** Deletes the app's release directories whose version is not in {@code keep}. */
  void retain(String app, Set<Integer> keep) {
    Path dir = appDir(app);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        Matcher name = RELEASE_DIR.matcher(entry.getFileName().toString());
        if (name.matches() && !keep.contains(Integer.parseInt(name.group(1)))) {
          deleteQuietly(entry);
        }
      }
    } catch (IOException e) {
      LOG.warnf("could not list %s: %s", dir, e.toString());
    }
  }

  void deleteApp(String app) {
    deleteQuietly(appDir(app));
  }

  private static Digest parseDigest(String digest) throws IOException {
    try {
      return digest.startsWith(Digest.PREFIX) ? Digest.parse(digest) : new Digest(digest);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid artifact digest: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      LOG.warnf("could not delete %s: %s", dir, e.toString());
    }
  }

  /** Deletes a tree without following symlinks out of it; a missing tree is fine. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}

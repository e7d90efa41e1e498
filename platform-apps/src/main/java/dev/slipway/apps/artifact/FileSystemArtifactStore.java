package dev.slipway.apps.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link ArtifactStore} on a local file system: objects live at {@code root/sha256/<first 2
 * hex>/<hex>}, read-only. A put writes to {@code root/tmp} and renames atomically into place, so an
 * object name only ever holds its complete bytes, and two processes putting the same bytes at once
 * both succeed with identical content.
 */
public final class FileSystemArtifactStore implements ArtifactStore {
  private final Path root;
  private final Path objects;
  private final Path tmp;

  public FileSystemArtifactStore(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.objects = this.root.resolve("sha256");
    this.tmp = this.root.resolve("tmp");
  }

  public Path root() {
    return root;
  }

  @Override
  public StoredArtifact put(Path file) throws IOException {
    Files.createDirectories(tmp);
    Path temp = Files.createTempFile(tmp, "put-", ".tmp");
    try {
      MessageDigest sha = Digest.sha256();
      long size = 0;
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = Files.newOutputStream(temp)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          sha.update(buffer, 0, n);
          out.write(buffer, 0, n);
          size += n;
        }
      }
      Digest digest = Digest.fromBytes(sha.digest());
      Path target = path(digest);
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--r--r--"));
        Files.createDirectories(target.getParent());
        moveIntoPlace(temp, target);
      }
      return new StoredArtifact(digest, size, target.toUri());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      // rename(2) replaces atomically; a concurrent put of the same digest wrote the same bytes.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // Same bytes already stored by a concurrent put.
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "artifact store needs " + temp + " and " + target + " on one file system", e);
    }
  }

  @Override
  public Optional<StoredArtifact> find(Digest digest) {
    Path target = path(digest);
    try {
      return Optional.of(new StoredArtifact(digest, Files.size(target), target.toUri()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Returns the stored object itself (read-only); it is not re-hashed, see {@link #verify}. */
  @Override
  public Path fetch(Digest digest) throws IOException {
    Path target = path(digest);
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(target.toString(), null, "no artifact " + digest);
    }
    return target;
  }

  @Override
  public boolean contains(Digest digest) {
    return Files.isRegularFile(path(digest), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Re-hashes a stored object; fetch does not, because hashing a large slug on every promotion
   * would cost more than the corruption it guards against on a local disk.
   *
   * @return whether the stored bytes still match their digest
   * @throws NoSuchFileException when the store does not hold it
   */
  public boolean verify(Digest digest) throws IOException {
    return Digest.of(fetch(digest)).equals(digest);
  }

  /** Where {@code digest} is (or would be) stored. */
  public Path path(Digest digest) {
    String hex = digest.hex();
    return objects.resolve(hex.substring(0, 2)).resolve(hex);
  }
}

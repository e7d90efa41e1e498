package dev.slipway.apps.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content-addressed storage on disk, including concurrent puts. */
class FileSystemArtifactStoreTest {
  @TempDir Path dir;

  @Test
  void storesUnderTheDigestOfTheContent() throws Exception {
    FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));
    Path file = Files.writeString(dir.resolve("slug.tgz"), "slug bytes");

    StoredArtifact stored = store.put(file);

    Digest digest = Digest.of(file);
    assertEquals(digest, stored.digest());
    assertEquals(10, stored.size());
    Path expected =
        dir.resolve("store/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex());
    assertEquals(expected.toUri(), stored.uri());
    assertEquals(expected, store.fetch(digest));
    assertEquals("slug bytes", Files.readString(store.fetch(digest)));
  }

  @Test
  void storedObjectsAreReadOnly() throws Exception {
    FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));
    StoredArtifact stored = store.put(Files.writeString(dir.resolve("a"), "content"));

    assertEquals(
        "r--r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(store.fetch(stored.digest()))));
  }

  @Test
  void puttingTheSameBytesTwiceReturnsTheSameArtifact() throws Exception {
    FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));
    StoredArtifact first = store.put(Files.writeString(dir.resolve("a"), "same"));
    StoredArtifact second = store.put(Files.writeString(dir.resolve("b"), "same"));

    assertEquals(first, second);
    assertTrue(store.verify(first.digest()));
  }

  @Test
  void findAndContainsReportOnlyStoredArtifacts() throws Exception {
    FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));
    StoredArtifact stored = store.put(Files.writeString(dir.resolve("a"), "x"));
    Digest absent = Digest.of(new byte[] {1});

    assertEquals(Optional.of(stored), store.find(stored.digest()));
    assertTrue(store.contains(stored.digest()));
    assertEquals(Optional.empty(), store.find(absent));
    assertFalse(store.contains(absent));
    assertThrows(NoSuchFileException.class, () -> store.fetch(absent));
  }

  @Test
  void concurrentPutsOfTheSameContentFromSeparateStoresAllSucceed() throws Exception {
    Path root = dir.resolve("store");
    byte[] content = new byte[512 * 1024];
    new Random(42).nextBytes(content);
    int writers = 6;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      files.add(Files.write(dir.resolve("copy" + i), content));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<StoredArtifact>> results = new ArrayList<>();
      for (Path file : files) {
        // A store per writer stands for a separate process sharing the directory.
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        Callable<StoredArtifact> put =
            () -> {
              go.await();
              return store.put(file);
            };
        results.add(pool.submit(put));
      }
      go.countDown();
      Set<StoredArtifact> distinct = new HashSet<>();
      for (Future<StoredArtifact> result : results) {
        distinct.add(result.get());
      }

      assertEquals(1, distinct.size());
      StoredArtifact stored = distinct.iterator().next();
      assertArrayEquals(content, Files.readAllBytes(Path.of(stored.uri())));
      try (Stream<Path> leftovers = Files.list(root.resolve("tmp"))) {
        assertEquals(0, leftovers.count());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

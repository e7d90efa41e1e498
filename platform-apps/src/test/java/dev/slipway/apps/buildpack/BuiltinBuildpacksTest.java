package dev.slipway.apps.buildpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying the built-in buildpacks out of the classpath. */
class BuiltinBuildpacksTest {
  private static final String TEST_ROOT = "dev/slipway/apps/testbuildpacks";
  private static final ClassLoader LOADER = BuiltinBuildpacksTest.class.getClassLoader();

  @TempDir Path dir;

  @Test
  void detectionOrderIsMavenThenNodejs() {
    assertEquals(List.of("maven", "nodejs"), BuiltinBuildpacks.names());
  }

  @Test
  void extractsTheShippedBuildpacksWithTheHerokuContract() throws Exception {
    Map<String, Path> buildpacks = BuiltinBuildpacks.extract(dir);

    assertEquals(BuiltinBuildpacks.names(), List.copyOf(buildpacks.keySet()));
    List<String> indexed = BuiltinBuildpacks.index(LOADER, BuiltinBuildpacks.RESOURCE_ROOT);
    for (String file : indexed) {
      assertTrue(Files.isExecutable(dir.resolve(file)), file);
    }
    for (Path buildpack : buildpacks.values()) {
      assertTrue(Files.isExecutable(buildpack.resolve("bin/detect")), buildpack.toString());
      assertTrue(Files.isExecutable(buildpack.resolve("bin/compile")), buildpack.toString());
    }
  }

  @Test
  void extractsEveryIndexedFileAsAnExecutable() throws Exception {
    Map<String, Path> buildpacks = BuiltinBuildpacks.extract(dir, LOADER, TEST_ROOT);

    assertEquals(List.of("maven", "nodejs", "custom"), List.copyOf(buildpacks.keySet()));
    assertEquals(dir.resolve("maven"), buildpacks.get("maven"));
    for (String file : BuiltinBuildpacks.index(LOADER, TEST_ROOT)) {
      Path extracted = dir.resolve(file);
      assertTrue(Files.isExecutable(extracted), file);
      assertEquals("#!/bin/sh\necho " + file + "\n", Files.readString(extracted));
    }
  }

  @Test
  void extractingAgainRepairsAndOverwritesNothingElse() throws Exception {
    BuiltinBuildpacks.extract(dir, LOADER, TEST_ROOT);
    Path detect = dir.resolve("maven/bin/detect");
    Files.writeString(detect, "tampered");
    Files.writeString(dir.resolve("maven/bin/mine"), "kept");

    BuiltinBuildpacks.extract(dir, LOADER, TEST_ROOT);

    assertEquals("#!/bin/sh\necho maven/bin/detect\n", Files.readString(detect));
    assertEquals("kept", Files.readString(dir.resolve("maven/bin/mine")));
  }

  @Test
  void concurrentExtractionsLeaveCompleteScriptsAndNoTemporaryFiles() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Map<String, Path>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<Map<String, Path>> extract =
            () -> BuiltinBuildpacks.extract(dir, LOADER, TEST_ROOT);
        results.add(pool.submit(extract));
      }
      for (Future<Map<String, Path>> result : results) {
        assertEquals(3, result.get().size());
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(
          List.of(), files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList());
    }
    assertEquals(
        "#!/bin/sh\necho maven/bin/compile\n", Files.readString(dir.resolve("maven/bin/compile")));
  }

  @Test
  void indexWithAnUnsafePathIsRefused() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> BuiltinBuildpacks.extract(dir, LOADER, "dev/slipway/apps/badbuildpacks"));

    assertTrue(e.getMessage().contains("not a safe relative path"), e.getMessage());
  }

  @Test
  void missingIndexIsAnError() {
    assertThrows(
        IOException.class,
        () -> BuiltinBuildpacks.extract(dir, LOADER, "dev/slipway/apps/nothing"));
  }
}

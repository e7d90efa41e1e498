package dev.slipway.apps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the disk quota counts: whole blocks per file and directory, each path once. */
class DiskQuotaTest {

  @TempDir Path temp;

  @Test
  void everyFileAndDirectoryCountsInWholeBlocksSoEmptyFilesAreNotFree() throws Exception {
    Path root = Files.createDirectories(temp.resolve("workspace/sub"));
    for (int i = 0; i < 10; i++) {
      Files.createFile(root.resolve("empty" + i));
    }
    Files.write(root.resolve("five-thousand"), new byte[5000]);

    long blocks = DiskQuota.usage(List.of(temp.resolve("workspace")), Long.MAX_VALUE);

    // workspace, sub, ten empty files, one file of two blocks
    assertEquals((2 + 10 + 2) * DiskQuota.BLOCK, blocks);
  }

  @Test
  void aPathInsideAnotherIsCountedOnceAndAMissingOneIsEmpty() throws Exception {
    Path workspace = Files.createDirectories(temp.resolve("workspace/cache"));
    Files.write(workspace.resolve("f"), new byte[10]);
    DiskQuota quota =
        new DiskQuota(
            List.of(temp.resolve("workspace"), workspace, temp.resolve("gone")), 1, () -> {});

    assertEquals(3 * DiskQuota.BLOCK, DiskQuota.usage(quota.roots(), Long.MAX_VALUE));
  }

  @Test
  void filesNestedTooDeepToMeasureCountAsOverTheQuota() throws Exception {
    Path root = Files.createDirectories(temp.resolve("deep"));
    // Each level is created relative to the last, so the whole path outgrows PATH_MAX (4096).
    Process mkdirs =
        new ProcessBuilder(
                "bash",
                "-c",
                "p=$(printf 'dddd/%.0s' $(seq 1 450)); mkdir -p $p && cd $p && mkdir -p $p")
            .directory(root.toFile())
            .inheritIO()
            .start();
    try {
      assertEquals(0, mkdirs.waitFor());

      assertTrue(DiskQuota.usage(List.of(root), 1L << 40) > 1L << 40);
    } finally {
      // JUnit's own cleanup cannot reach that deep either.
      new ProcessBuilder("rm", "-rf", root.toString()).start().waitFor();
    }
  }

  @Test
  void countingStopsOncePastTheLimit() throws Exception {
    Path root = Files.createDirectories(temp.resolve("many"));
    for (int i = 0; i < 100; i++) {
      Files.createFile(root.resolve("f" + i));
    }

    long counted = DiskQuota.usage(List.of(root), 10 * DiskQuota.BLOCK);

    assertTrue(counted > 10 * DiskQuota.BLOCK && counted < 20 * DiskQuota.BLOCK, "" + counted);
  }
}

package dev.slipway.testing.executor.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.apps.process.SandboxLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local executor's sweep removes what ended runs left and keeps the workspace of a run that has
 * not ended, which may be running on another replica sharing the data directory.
 */
class LocalTestExecutorSweepTest {

  @TempDir Path data;

  @Test
  void sweepKeepsTheWorkspaceOfAnUnendedRunAndRemovesTheRest() throws Exception {
    Path runs = Files.createDirectories(data.resolve("runs"));
    UUID running = UUID.randomUUID();
    UUID ended = UUID.randomUUID();
    Path live = Files.createDirectories(runs.resolve(running.toString()).resolve("node-0"));
    Files.createDirectories(runs.resolve(ended.toString()).resolve("node-0"));
    Files.createDirectories(runs.resolve("not-a-run"));
    List<Set<UUID>> asked = new ArrayList<>();

    executor(runs)
        .sweepAbandoned(
            ids -> {
              asked.add(ids);
              return ids.contains(running) ? Set.of(running) : Set.of();
            });

    assertEquals(List.of(Set.of(running, ended)), asked);
    assertTrue(Files.isDirectory(live), "the unended run's workspace was removed");
    assertFalse(Files.exists(runs.resolve(ended.toString())));
    assertFalse(Files.exists(runs.resolve("not-a-run")));
  }

  @Test
  void runOfADatabaseIsReadFromItsNameOnlyWhenItIsOneOfThisExecutors() {
    UUID run = UUID.fromString("34002e3a-5f47-4612-b2f8-6d773fc0d9e8");

    assertEquals(
        run, LocalTestExecutor.runIdOfDatabase("slipway_ci_34002e3a5f474612b2f86d773fc0d9e8_0"));
    assertEquals(
        run, LocalTestExecutor.runIdOfDatabase("slipway_ci_34002e3a5f474612b2f86d773fc0d9e8_12"));
    assertNull(LocalTestExecutor.runIdOfDatabase("slipway_ci_34002e3a5f474612b2f86d773fc0d9e8"));
    assertNull(LocalTestExecutor.runIdOfDatabase("slipway_ci_XYZ_0"));
    assertNull(LocalTestExecutor.runIdOfDatabase("slipway_app_34002e3a5f474612b2f86d773fc0d9e8_0"));
  }

  private LocalTestExecutor executor(Path runs) {
    return new LocalTestExecutor(
        runs,
        data.resolve("buildpacks"),
        data.resolve("cache"),
        1024,
        1,
        List.of(),
        null,
        SandboxLimits.defaults(),
        List.of());
  }
}

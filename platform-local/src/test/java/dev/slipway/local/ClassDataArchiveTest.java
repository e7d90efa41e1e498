package dev.slipway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class-data archives recorded from a real child JVM, used by its next start, never when cut. */
class ClassDataArchiveTest {

  @TempDir Path dir;

  @Test
  void aReadyServiceRecordsItsArchiveAndItsNextStartMapsIt() throws Exception {
    Path jar = StubService.jar(Files.createDirectories(dir.resolve("build")));
    ClassDataArchive archives = new ClassDataArchive(dir.resolve("cds"));
    List<String> first = archives.jvmOptions("stub", jar);
    assertFalse(ClassDataArchive.uses(first), "no archive yet: the first start records");

    ServiceProcess recording = start(jar, first, "first");
    try {
      assertEquals(Optional.empty(), archives.record("stub", jar, recording.process()));
    } finally {
      recording.close();
    }

    List<String> second = archives.jvmOptions("stub", jar);
    assertTrue(ClassDataArchive.uses(second), second::toString);
    ServiceProcess mapped = start(jar, second, "second");
    try {
      String maps = Files.readString(Path.of("/proc", "" + mapped.process().pid(), "maps"));
      assertTrue(maps.contains(archives.archive("stub", jar).toString()), "the JVM mapped it");
    } finally {
      mapped.close();
    }
  }

  @Test
  void anArchiveCutShortIsNotUsedAndTheServiceStartsWithoutIt() throws Exception {
    Path jar = StubService.jar(Files.createDirectories(dir.resolve("build")));
    ClassDataArchive archives = new ClassDataArchive(dir.resolve("cds"));
    ServiceProcess recording = start(jar, archives.jvmOptions("stub", jar), "first");
    try {
      assertEquals(Optional.empty(), archives.record("stub", jar, recording.process()));
    } finally {
      recording.close();
    }
    Path archive = archives.archive("stub", jar);
    archive.toFile().setWritable(true);
    try (FileChannel f = FileChannel.open(archive, StandardOpenOption.WRITE)) {
      f.truncate(Files.size(archive) / 2);
    }

    List<String> options = archives.jvmOptions("stub", jar);
    assertFalse(ClassDataArchive.uses(options), options::toString);
    start(jar, options, "second").close();
  }

  @Test
  void anotherBuildOfTheServiceGetsAnotherArchive() throws IOException {
    Path jar = StubService.jar(Files.createDirectories(dir.resolve("build")));
    ClassDataArchive archives = new ClassDataArchive(dir.resolve("cds"));
    Path before = archives.archive("stub", jar);
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    assertNotEquals(before, archives.archive("stub", jar));
  }

  private ServiceProcess start(Path jar, List<String> jvmOptions, String run) {
    ServiceProcess p =
        ServiceProcess.launch(
            "stub", jar, 0, Map.of(), dir.resolve(run), dir.resolve(run + ".log"), jvmOptions);
    p.awaitReady(Duration.ofMinutes(2));
    return p;
  }
}

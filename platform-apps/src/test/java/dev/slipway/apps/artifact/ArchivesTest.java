package dev.slipway.apps.artifact;

import static dev.slipway.apps.artifact.Tarballs.tar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deterministic packing and safe unpacking, against crafted malicious tarballs. */
class ArchivesTest {
  private static final long CAP = 1024 * 1024;
  private static final String LONG_DIR =
      "src/main/java/com/example/some/very/deeply/nested/package/structure/that/goes/on/and/on";

  @TempDir Path dir;

  private Path sampleTree(Path root) throws Exception {
    Files.createDirectories(root.resolve(LONG_DIR));
    Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(root.resolve(".git/objects"));
    Files.writeString(root.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(root.resolve("Procfile"), "web: bin/web\n");
    Files.writeString(root.resolve(LONG_DIR + "/Application.java"), "class Application {}\n");
    Files.createDirectories(root.resolve("bin"));
    Path web = Files.writeString(root.resolve("bin/web"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(web, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(root.resolve("start"), Path.of("bin/web"));
    Files.createSymbolicLink(root.resolve("bin/up"), Path.of("../Procfile"));
    return root;
  }

  @Test
  void packThenUnpackKeepsContentExecutableBitDirectoriesAndInnerSymlinks() throws Exception {
    Path source = sampleTree(dir.resolve("src"));
    Path archive = dir.resolve("a.tgz");
    Archives.pack(source, archive, path -> !path.startsWith(".git"));

    Path out = dir.resolve("out");
    long written = Archives.unpack(archive, out, CAP);

    assertEquals(
        Files.size(source.resolve("Procfile"))
            + Files.size(source.resolve("bin/web"))
            + Files.size(source.resolve(LONG_DIR + "/Application.java")),
        written);
    assertEquals("web: bin/web\n", Files.readString(out.resolve("Procfile")));
    assertEquals(
        "class Application {}\n", Files.readString(out.resolve(LONG_DIR + "/Application.java")));
    assertTrue(Files.isExecutable(out.resolve("bin/web")));
    assertEquals("rw-r--r--", permissions(out.resolve("Procfile")));
    assertTrue(Files.isDirectory(out.resolve("empty")));
    assertFalse(Files.exists(out.resolve(".git")));
    assertEquals(Path.of("bin/web"), Files.readSymbolicLink(out.resolve("start")));
    assertEquals("web: bin/web\n", Files.readString(out.resolve("bin/up")));
  }

  @Test
  void packIsDeterministicAcrossMtimesAndLocations() throws Exception {
    Path first = sampleTree(dir.resolve("one"));
    Path second = sampleTree(dir.resolve("two"));
    Files.setLastModifiedTime(second.resolve("Procfile"), FileTime.fromMillis(123_456_000L));
    Files.setLastModifiedTime(second.resolve(LONG_DIR), FileTime.fromMillis(42_000L));

    Archives.pack(first, dir.resolve("one.tgz"), path -> true);
    Archives.pack(second, dir.resolve("two.tgz"), path -> true);

    assertEquals(Digest.of(dir.resolve("one.tgz")), Digest.of(dir.resolve("two.tgz")));
  }

  @Test
  void packGivesTheSameBytesForTheSameTreeWhateverItsOwnersModesAndTimes() throws Exception {
    Path first = sampleTree(dir.resolve("one"));
    Path second = sampleTree(dir.resolve("two"));
    // What differs between two checkouts and builds of one commit: owners, umask-dependent
    // group/other bits, and every timestamp (files, directories, symlinks themselves).
    try (Stream<Path> paths = Files.walk(second)) {
      for (Path p : paths.toList()) {
        PosixFileAttributeView view =
            Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setTimes(FileTime.fromMillis(1_700_000_000_000L + p.hashCode()), null, null);
        if (isRoot()) {
          view.setOwner(
              p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        }
      }
    }
    Files.setPosixFilePermissions(
        second.resolve("Procfile"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(
        second.resolve("bin/web"), PosixFilePermissions.fromString("rwxrwx---"));
    Files.setPosixFilePermissions(
        second.resolve("empty"), PosixFilePermissions.fromString("rwx------"));

    Archives.pack(first, dir.resolve("one.tgz"));
    Thread.sleep(1100); // a gzip header holding the clock would now differ
    Archives.pack(second, dir.resolve("two.tgz"));

    assertArrayEquals(
        Files.readAllBytes(dir.resolve("one.tgz")), Files.readAllBytes(dir.resolve("two.tgz")));
  }

  @Test
  void packWritesAGzipHeaderWithoutTimeNameOrHostOperatingSystem() throws Exception {
    Archives.pack(sampleTree(dir.resolve("tree")), dir.resolve("a.tgz"));

    byte[] header = Arrays.copyOf(Files.readAllBytes(dir.resolve("a.tgz")), 10);

    assertEquals(0x1f, header[0] & 0xff);
    assertEquals(0x8b, header[1] & 0xff);
    assertEquals(0, header[3], "flags: no file name, comment, extra field or header CRC");
    assertArrayEquals(new byte[4], Arrays.copyOfRange(header, 4, 8), "mtime 0");
    assertEquals(255, header[9] & 0xff, "operating system: unknown, not the packing host's");
  }

  @Test
  void packChangesWhenTheExecutableBitChanges() throws Exception {
    Path tree = sampleTree(dir.resolve("tree"));
    Archives.pack(tree, dir.resolve("before.tgz"));
    Files.setPosixFilePermissions(
        tree.resolve("bin/web"), PosixFilePermissions.fromString("rw-r--r--"));
    Archives.pack(tree, dir.resolve("after.tgz"));

    assertNotEquals(Digest.of(dir.resolve("before.tgz")), Digest.of(dir.resolve("after.tgz")));
  }

  @Test
  void packWritesSortedEntriesWithZeroTimesAndOwners() throws Exception {
    Path tree = sampleTree(dir.resolve("tree"));
    Archives.pack(tree, dir.resolve("a.tgz"));

    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(dir.resolve("a.tgz"));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        names.add(entry.getName());
        assertEquals(0, entry.getModTime().getTime(), entry.getName());
        assertEquals(0, entry.getLongUserId());
        assertEquals(0, entry.getLongGroupId());
        assertEquals("", entry.getUserName());
        assertEquals("", entry.getGroupName());
      }
    }
    assertEquals(".git/", names.get(0));
    assertEquals(
        List.of(".git/", ".git/HEAD", ".git/objects/", "Procfile", "bin/"), names.subList(0, 5));
    assertTrue(names.contains(LONG_DIR + "/Application.java"));
  }

  @Test
  void packRefusesASymlinkLeadingOutsideTheTree() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.createSymbolicLink(tree.resolve("passwd"), Path.of("../../etc/passwd"));

    ArchiveException e =
        assertThrows(ArchiveException.class, () -> Archives.pack(tree, dir.resolve("a.tgz")));

    assertEquals("passwd", e.entry());
    assertFalse(Files.exists(dir.resolve("a.tgz")));
  }

  @Test
  void packRefusesASymlinkEscapingThroughAnotherSymlink() throws Exception {
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("d"));
    Files.createSymbolicLink(tree.resolve("d/x"), Path.of(".."));
    Files.createSymbolicLink(tree.resolve("s"), Path.of("d/x/.."));

    ArchiveException e =
        assertThrows(ArchiveException.class, () -> Archives.pack(tree, dir.resolve("a.tgz")));

    assertEquals("s", e.entry());
  }

  @Test
  void packRefusesAnAbsoluteSymlink() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.createSymbolicLink(tree.resolve("self"), tree.resolve("."));

    assertThrows(ArchiveException.class, () -> Archives.pack(tree, dir.resolve("a.tgz")));
  }

  @Test
  void packSkipsTheArchiveItselfWhenWrittenInsideTheTree() throws Exception {
    Path tree = sampleTree(dir.resolve("tree"));
    Archives.pack(tree, tree.resolve("slug.tgz"));

    Path out = dir.resolve("out");
    Archives.unpack(tree.resolve("slug.tgz"), out, CAP);

    assertFalse(Files.exists(out.resolve("slug.tgz")));
    assertTrue(Files.exists(out.resolve("Procfile")));
  }

  @Test
  void unpackRefusesAbsoluteEntryName() throws Exception {
    Path evil = dir.resolve("evil");
    assertRefused(tar().file(evil.toString(), "pwned"), evil.toString());
    assertFalse(Files.exists(evil));
  }

  @Test
  void unpackRefusesEntryEscapingTarget() throws Exception {
    assertRefused(tar().file("../evil", "pwned"), "../evil");
    assertRefused(tar().file("a/b/../../../evil", "pwned"), "a/b/../../../evil");
    assertFalse(Files.exists(dir.resolve("evil")));
  }

  @Test
  void unpackRefusesSymlinkToAbsolutePath() throws Exception {
    assertRefused(tar().symlink("etc", "/etc"), "etc");
  }

  @Test
  void unpackRefusesSymlinkLeadingOutside() throws Exception {
    assertRefused(tar().directory("a").symlink("a/up", "../../.."), "a/up");
  }

  @Test
  void unpackRefusesWritingThroughASymlink() throws Exception {
    Files.createDirectories(dir.resolve("victim"));
    Tarballs tarball = tar().directory("a").symlink("a/here", "..").file("a/here/a/x", "through");

    assertRefused(tarball, "a/here/a/x");
  }

  @Test
  void unpackRefusesSymlinkChainThatEscapesOnlyOnceAllLinksExist() throws Exception {
    // "s" looks contained (d/x/.. is d), but d/x is the target itself, so s is its parent.
    Tarballs tarball = tar().directory("d").symlink("s", "d/x/..").symlink("d/x", "..");

    Path out = dir.resolve("out");
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () -> Archives.unpack(tarball.writeTo(dir.resolve("t.tgz")), out, CAP));

    assertEquals("s", e.entry());
    assertFalse(Files.exists(out.resolve("s"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void unpackRefusesHardlinkToAFileOutside() throws Exception {
    Files.writeString(dir.resolve("secret"), "secret");

    assertRefused(tar().hardlink("copy", "../secret"), "copy");
    assertRefused(tar().hardlink("copy", dir.resolve("secret").toString()), "copy");
  }

  @Test
  void unpackAllowsHardlinkToAnEarlierFile() throws Exception {
    Path archive = tar().file("a", "shared").hardlink("b", "a").writeTo(dir.resolve("t.tgz"));

    Archives.unpack(archive, dir.resolve("out"), CAP);

    assertEquals("shared", Files.readString(dir.resolve("out/b")));
  }

  @Test
  void unpackRefusesDeviceAndFifoEntries() throws Exception {
    assertRefused(tar().special("dev/null", TarConstants.LF_CHR), "dev/null");
    assertRefused(tar().special("disk", TarConstants.LF_BLK), "disk");
    assertRefused(tar().special("pipe", TarConstants.LF_FIFO), "pipe");
  }

  @Test
  void unpackStopsAtTheSizeCapAcrossEntries() throws Exception {
    byte[] chunk = new byte[400 * 1024];
    Path archive =
        tar()
            .file("one", chunk, 0100644)
            .file("two", chunk, 0100644)
            .file("three", chunk, 0100644)
            .writeTo(dir.resolve("t.tgz"));
    Path out = dir.resolve("out");

    ArchiveException e =
        assertThrows(ArchiveException.class, () -> Archives.unpack(archive, out, CAP));

    assertEquals("three", e.entry());
    long total = 0;
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(file);
      }
    }
    assertTrue(total <= CAP, "wrote " + total);
  }

  @Test
  void unpackRefusesAnEntryLargerThanTheCapBeforeWritingIt() throws Exception {
    Path archive =
        tar().file("zeros", new byte[3 * 1024 * 1024], 0100644).writeTo(dir.resolve("t.tgz"));
    Path out = dir.resolve("out");

    ArchiveException e =
        assertThrows(ArchiveException.class, () -> Archives.unpack(archive, out, CAP));

    assertEquals("zeros", e.entry());
    assertFalse(Files.exists(out.resolve("zeros")));
  }

  @Test
  void unpackRestoresExecutableBitButNotSetuid() throws Exception {
    Path archive =
        tar()
            .file("run", "#!/bin/sh\n".getBytes(), 0104755)
            .file("data", "x".getBytes(), 0100666)
            .writeTo(dir.resolve("t.tgz"));

    Archives.unpack(archive, dir.resolve("out"), CAP);

    assertEquals("rwxr-xr-x", permissions(dir.resolve("out/run")));
    assertEquals("rw-r--r--", permissions(dir.resolve("out/data")));
  }

  @Test
  void unpackNamesTheEntryInErrorsWithoutControlCharacters() throws Exception {
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                Archives.unpack(
                    tar().file("../a\nb", "x").writeTo(dir.resolve("t.tgz")),
                    dir.resolve("out"),
                    CAP));

    assertEquals("../a\nb", e.entry());
    assertFalse(e.getMessage().contains("\n"));
  }

  private void assertRefused(Tarballs tarball, String entry) throws Exception {
    Path archive = tarball.writeTo(Files.createTempFile(dir, "evil", ".tgz"));
    Path out = Files.createTempDirectory(dir, "out");

    ArchiveException e =
        assertThrows(ArchiveException.class, () -> Archives.unpack(archive, out, CAP));

    assertEquals(entry, e.entry(), e.getMessage());
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}

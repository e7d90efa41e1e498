package dev.slipway.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Class-data sharing for service JVMs: a dynamic AppCDS archive per service build and JVM, recorded
 * from a running service once it is ready ({@code jcmd VM.cds dynamic_dump}) and mapped by its
 * later starts, which then skip parsing and verifying most of their classes. An archive that does
 * not match (another build or JVM) is never used: its name carries a digest of both; one the JVM
 * cannot map (damaged, truncated) is ignored by the JVM, which then starts without it.
 */
public final class ClassDataArchive {

  private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(2);

  private final Path dir;

  /** Archives kept in {@code dir} (created 0700: an archive is code the services will run). */
  public ClassDataArchive(Path dir) {
    this.dir = dir;
  }

  /** The per-user cache: {@code $XDG_CACHE_HOME/slipway/cds}, else {@code ~/.cache/slipway/cds}. */
  public static ClassDataArchive userCache(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return new ClassDataArchive(base.resolve("slipway").resolve("cds"));
  }

  /** The archive of {@code name} built as {@code jar}, for the JVM this process runs on. */
  public Path archive(String name, Path jar) {
    return dir.resolve(name + "-" + digest(jar) + ".jsa");
  }

  /**
   * The JVM options a start of {@code jar} gets: the archive's when it exists, else what lets
   * {@link #record} write it later.
   */
  public List<String> jvmOptions(String name, Path jar) {
    Path archive = archive(name, jar);
    if (complete(archive)) {
      // -Xshare:auto (the default): an archive the JVM finds damaged is skipped.
      return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
    }
    // Recording prints a warning per class it leaves out into the service's log otherwise.
    return List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds=error");
  }

  /** Whether {@code jvmOptions} uses the archive, so that a start that failed can discard it. */
  public static boolean uses(List<String> jvmOptions) {
    return jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
  }

  /** Removes the archive of {@code name} (a start with it failed); the next start records anew. */
  public void discard(String name, Path jar) {
    Path archive = archive(name, jar);
    try {
      Files.deleteIfExists(archive);
      Files.deleteIfExists(sizeFile(archive));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + archive, e);
    }
  }

  /**
   * Whether the archive exists with the size it was written with: the JVM checks what an archive
   * holds, but one cut short (a full disk, a copy) makes JDK 17 crash at start instead of skipping
   * it.
   */
  static boolean complete(Path archive) {
    try {
      return Files.isRegularFile(archive)
          && Files.readString(sizeFile(archive)).trim().equals(Long.toString(Files.size(archive)));
    } catch (IOException e) {
      return false;
    }
  }

  private static Path sizeFile(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".size");
  }

  /**
   * Writes the archive of a running, ready service started with {@link #jvmOptions} when none
   * exists yet, and removes the service's archives of other builds. Returns why not when it did not
   * (no jcmd in this JDK, the dump failed). The service pauses while its classes are written.
   */
  public Optional<String> record(String name, Path jar, ProcessHandle service) {
    Path archive = archive(name, jar);
    if (complete(archive)) {
      return Optional.empty();
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Optional.of("no " + jcmd + " (a JRE, not a JDK)");
    }
    Path partial = dir.resolve(archive.getFileName() + "." + service.pid() + ".partial");
    try {
      PrivateFiles.directory(dir);
      Optional<String> failed = jcmd(jcmd, service, "VM.cds", "dynamic_dump", partial.toString());
      if (failed.isPresent()) {
        return failed;
      }
      if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
        return Optional.of("jcmd VM.cds wrote nothing");
      }
      // The dump's buffers are freed but kept by the C allocator; hand them back (best effort).
      jcmd(jcmd, service, "System.trim_native_heap");
      // Renamed only once complete, its size recorded last: a start never maps a partial one.
      long size = Files.size(partial);
      Files.move(
          partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(sizeFile(archive), Long.toString(size));
      removeOthers(name, archive);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        // a leftover partial file is never mapped
      }
    }
  }

  /** Runs one jcmd command against {@code service}; why it failed, if it did. */
  private static Optional<String> jcmd(Path jcmd, ProcessHandle service, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of(jcmd.toString(), "" + service.pid()));
    line.addAll(List.of(command));
    Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(DUMP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return Optional.of("jcmd " + command[0] + " did not finish within " + DUMP_TIMEOUT);
    }
    return p.exitValue() == 0
        ? Optional.empty()
        : Optional.of("jcmd " + command[0] + " failed: " + output.strip());
  }

  private void removeOthers(String name, Path keep) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String file = f.getFileName().toString();
        if (!f.equals(keep)
            && !f.equals(sizeFile(keep))
            && file.startsWith(name + "-")
            && (file.endsWith(".jsa") || file.endsWith(".jsa.size"))) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /**
   * A digest of the JVM (its version and location) and of every file of the service's build (the
   * {@code quarkus-app} directory around {@code jar}: names, sizes and modification times).
   */
  static String digest(Path jar) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (System.getProperty("java.vm.version") + "\n" + System.getProperty("java.home") + "\n")
              .getBytes(StandardCharsets.UTF_8));
      Path root = jar.toAbsolutePath().getParent();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          sha.update(
              (root.relativize(f)
                      + "\t"
                      + Files.size(f)
                      + "\t"
                      + Files.getLastModifiedTime(f).toMillis()
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

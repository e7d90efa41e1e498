package dev.slipway.apps.buildpack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The buildpacks shipped inside this jar (Heroku buildpack contract: {@code bin/detect}, {@code
 * bin/compile}, {@code bin/release}), copied out to disk so they can be executed. The files to copy
 * are listed, one relative path a line, in the classpath resource {@value #INDEX}.
 */
public final class BuiltinBuildpacks {
  public static final String RESOURCE_ROOT = "dev/slipway/apps/buildpacks";
  public static final String INDEX = RESOURCE_ROOT + "/index";

  /** Detection order: the first whose {@code bin/detect} succeeds builds the app. */
  private static final List<String> NAMES = List.of("maven", "nodejs");

  private static final Pattern SAFE_PATH =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)+");

  private static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private BuiltinBuildpacks() {}

  /** Built-in buildpack names in detection order. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Copies every file the index lists to {@code targetRoot/<path>}, executable. Idempotent, and
   * safe to call concurrently (from threads or processes): each file is written to a temporary name
   * and renamed into place, so a reader only ever sees a complete script.
   *
   * @return each extracted buildpack's directory by name, built-ins in {@link #names()} order first
   */
  public static Map<String, Path> extract(Path targetRoot) throws IOException {
    return extract(targetRoot, BuiltinBuildpacks.class.getClassLoader(), RESOURCE_ROOT);
  }

  static Map<String, Path> extract(Path targetRoot, ClassLoader loader, String resourceRoot)
      throws IOException {
    List<String> files = index(loader, resourceRoot);
    Path root = targetRoot.toAbsolutePath().normalize();
    Set<String> extracted = new TreeSet<>();
    for (String file : files) {
      byte[] content = resource(loader, resourceRoot + "/" + file);
      Path target = root.resolve(file);
      write(target, content);
      extracted.add(file.substring(0, file.indexOf('/')));
    }
    Map<String, Path> result = new LinkedHashMap<>();
    for (String name : NAMES) {
      if (extracted.remove(name)) {
        result.put(name, root.resolve(name));
      }
    }
    for (String name : extracted) {
      result.put(name, root.resolve(name));
    }
    return result;
  }

  /** The relative paths the index lists. */
  static List<String> index(ClassLoader loader, String resourceRoot) throws IOException {
    String indexName = resourceRoot + "/index";
    URL url = loader.getResource(indexName);
    if (url == null) {
      throw new IOException("built-in buildpack index " + indexName + " is not on the classpath");
    }
    List<String> files = new ArrayList<>();
    try (InputStream in = url.openStream();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        String file = line.strip();
        if (file.isEmpty() || file.startsWith("#")) {
          continue;
        }
        if (!SAFE_PATH.matcher(file).matches()) {
          throw new IOException(indexName + ": not a safe relative path: " + file);
        }
        files.add(file);
      }
    }
    return files;
  }

  private static byte[] resource(ClassLoader loader, String name) throws IOException {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("buildpack index lists " + name + " but it is not on the classpath");
      }
      return in.readAllBytes();
    }
  }

  private static void write(Path target, byte[] content) throws IOException {
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && Files.getPosixFilePermissions(target).containsAll(EXECUTABLE)
        && Arrays.equals(Files.readAllBytes(target), content)) {
      return;
    }
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.write(temp, content);
      Files.setPosixFilePermissions(temp, EXECUTABLE);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename within " + dir, e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}

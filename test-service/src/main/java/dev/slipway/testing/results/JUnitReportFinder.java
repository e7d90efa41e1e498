package dev.slipway.testing.results;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds JUnit XML reports in a test run's workspace by glob, never leaving the workspace through a
 * symbolic link.
 */
public final class JUnitReportFinder {

  /** Where Maven Surefire writes its reports, and the usual name of other tools' reports. */
  public static final List<String> DEFAULT_GLOBS =
      List.of("**/surefire-reports/*.xml", "**/junit*.xml");

  /** Dependency and VCS trees hold other projects' fixtures and would only slow the walk. */
  private static final Set<String> PRUNED_DIRECTORIES = Set.of(".git", "node_modules");

  private JUnitReportFinder() {}

  /**
   * Returns the regular files under {@code workspace} whose path relative to it matches one of the
   * globs ({@link java.nio.file.FileSystem#getPathMatcher} syntax, where a leading {@code **}{@code
   * /} also matches at the top level), sorted and without duplicates.
   *
   * @throws NoSuchFileException when the workspace is not a directory
   */
  public static List<Path> find(Path workspace, List<String> globs) throws IOException {
    if (!Files.isDirectory(workspace)) {
      throw new NoSuchFileException(workspace.toString(), null, "workspace is not a directory");
    }
    Path root = workspace.toRealPath();
    List<PathMatcher> matchers = matchers(workspace.getFileSystem(), globs);
    Set<Path> found = new TreeSet<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root) && PRUNED_DIRECTORIES.contains(dir.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path relative = root.relativize(file);
            if (matchesAny(matchers, relative) && isRegularFileInside(root, file, attrs)) {
              found.add(workspace.resolve(relative.toString()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            // An unreadable corner of the workspace must not hide the reports elsewhere.
            return FileVisitResult.CONTINUE;
          }
        });
    return List.copyOf(found);
  }

  private static List<PathMatcher> matchers(FileSystem fileSystem, List<String> globs) {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String glob : globs) {
      matchers.add(fileSystem.getPathMatcher("glob:" + glob));
      // The JDK's "**/x" needs at least one directory; people mean "x at any depth".
      if (glob.startsWith("**/")) {
        matchers.add(fileSystem.getPathMatcher("glob:" + glob.substring(3)));
      }
    }
    return matchers;
  }

  private static boolean matchesAny(List<PathMatcher> matchers, Path relative) {
    for (PathMatcher matcher : matchers) {
      if (matcher.matches(relative)) {
        return true;
      }
    }
    return false;
  }

  /** A linked file counts only when its target is a regular file inside the workspace. */
  private static boolean isRegularFileInside(Path root, Path file, BasicFileAttributes attrs)
      throws IOException {
    if (attrs.isRegularFile()) {
      return true;
    }
    if (!attrs.isSymbolicLink()) {
      return false;
    }
    try {
      Path target = file.toRealPath();
      return target.startsWith(root) && Files.isRegularFile(target);
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}

package dev.slipway.apps.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this machine offers the sandbox, found once: the bubblewrap, prlimit and setpriv commands,
 * whether the platform runs as root (then user code drops to {@link #SANDBOX_UID}), the system
 * directories and the few {@code /etc} files user code may read, and toolchains (JDK, Node.js)
 * installed outside {@code /usr}.
 *
 * @param bwrap null when bubblewrap is not installed
 * @param setpriv used to drop from root to {@link #SANDBOX_UID} inside the sandbox
 * @param topLevel {@code /bin}, {@code /lib}... each mapped to its symlink target, or to null for a
 *     real directory (bound read-only)
 */
public record SandboxHost(
    Path bwrap,
    Path prlimit,
    Path setpriv,
    boolean root,
    Map<String, String> topLevel,
    List<Path> etc,
    List<Path> toolchains) {

  /** The unprivileged user (nobody) that user code runs as when the platform is root. */
  public static final int SANDBOX_UID = 65534;

  static final List<String> SYSTEM_DIRS =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  /**
   * Name resolution, TLS trust, users, the JDK's and Maven's configuration and Debian's
   * alternatives symlinks; never shadow, ssh keys or anything of the platform.
   */
  static final List<String> ETC =
      List.of(
          "/etc/resolv.conf",
          "/etc/hosts",
          "/etc/host.conf",
          "/etc/nsswitch.conf",
          "/etc/gai.conf",
          "/etc/protocols",
          "/etc/services",
          "/etc/passwd",
          "/etc/group",
          "/etc/localtime",
          "/etc/timezone",
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/etc/ld.so.conf.d",
          "/etc/ssl",
          "/etc/ca-certificates",
          "/etc/pki",
          "/etc/alternatives",
          "/etc/java-17-openjdk",
          "/etc/java-21-openjdk",
          "/etc/maven",
          "/etc/mime.types",
          "/etc/npmrc",
          "/etc/nodejs",
          "/etc/bash.bashrc",
          "/etc/profile",
          "/etc/inputrc");

  /** Looks at this machine. */
  public static SandboxHost detect() {
    Map<String, String> topLevel = new LinkedHashMap<>();
    for (String dir : SYSTEM_DIRS) {
      Path path = Path.of(dir);
      try {
        if (Files.isSymbolicLink(path)) {
          topLevel.put(dir, Files.readSymbolicLink(path).toString());
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          topLevel.put(dir, null);
        }
      } catch (IOException e) {
        // Unreadable: left out of the sandbox.
      }
    }
    List<Path> etc = new ArrayList<>();
    for (String file : ETC) {
      if (Files.exists(Path.of(file), LinkOption.NOFOLLOW_LINKS)) {
        etc.add(Path.of(file));
      }
    }
    return new SandboxHost(
        executable("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"),
        executable("/usr/bin/prlimit", "/bin/prlimit"),
        executable("/usr/bin/setpriv", "/bin/setpriv"),
        isRoot(),
        topLevel,
        etc,
        toolchains(System.getenv()));
  }

  /** Install directories of java and node found outside the system directories. */
  static List<Path> toolchains(Map<String, String> env) {
    List<Path> found = new ArrayList<>();
    String javaHome = env.get("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      addOutsideSystem(found, Path.of(javaHome));
    }
    addOutsideSystem(found, Path.of(System.getProperty("java.home")));
    String path = env.getOrDefault("PATH", ChildProcesses.DEFAULT_PATH);
    for (String tool : List.of("java", "node", "npm", "mvn")) {
      for (String dir : path.split(":")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
        if (dir.startsWith("/") && Files.isExecutable(candidate)) {
          try {
            Path real = candidate.toRealPath();
            // <install>/bin/<tool>: the install directory is two levels up.
            Path install = real.getParent() == null ? null : real.getParent().getParent();
            if (install != null) {
              addOutsideSystem(found, install);
            }
          } catch (IOException e) {
            // Dangling link: nothing to bind.
          }
          break;
        }
      }
    }
    return found;
  }

  private static void addOutsideSystem(List<Path> found, Path dir) {
    Path normal = dir.toAbsolutePath().normalize();
    if (normal.getNameCount() < 2 || !Files.isDirectory(normal)) {
      return;
    }
    for (String system : SYSTEM_DIRS) {
      if (normal.startsWith(system)) {
        return;
      }
    }
    if (!found.contains(normal)) {
      found.add(normal);
    }
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return "0".equals(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: no sandbox anyway.
    }
    return false;
  }

  private static Path executable(String... candidates) {
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isRegularFile(path) && Files.isExecutable(path)) {
        return path;
      }
    }
    return null;
  }
}

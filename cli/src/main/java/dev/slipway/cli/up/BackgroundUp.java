package dev.slipway.cli.up;

import dev.slipway.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code slipway up} as a background process of its own session (so it outlives the command
 * that started it, and Ctrl-C of that command does not reach it), echoes its progress and waits
 * until it says it is ready. Used by {@code slipway demo} when no platform runs for its data
 * directory.
 */
public final class BackgroundUp {

  /** The file {@code up}'s output goes to, inside the data directory. */
  public static Path logFile(Path dataDir) {
    return dataDir.resolve("logs").resolve("up.log");
  }

  private BackgroundUp() {}

  /**
   * Starts {@code up} for {@code dataDir} and returns once it printed {@code ready:}.
   *
   * @param basePort null for the ports remembered in the data directory (or the defaults)
   * @throws CliException when it exits or is not ready within {@code timeout}, with its last lines
   */
  public static void start(Path dataDir, Integer basePort, Duration timeout, PrintWriter out) {
    Path log = logFile(dataDir);
    long offset;
    Process process;
    try {
      Files.createDirectories(log.getParent());
      offset = Files.exists(log) ? Files.size(log) : 0;
      process =
          new ProcessBuilder(command(dataDir, basePort))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new CliException("cannot start slipway up: " + e.getMessage());
    }
    out.println("    starting the platform in the background (output in " + log + ")");
    out.flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    try (RandomAccessFile reader = new RandomAccessFile(log.toFile(), "r")) {
      reader.seek(offset);
      java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
      while (System.nanoTime() < deadline) {
        for (String line : newLines(reader, partial)) {
          seen.add(line);
          out.println("    | " + line);
          out.flush();
          if (line.startsWith("ready:")) {
            return;
          }
        }
        if (!process.isAlive()) {
          throw new CliException(
              "slipway up exited before it was ready: " + tail(seen) + " (see " + log + ")");
        }
        Thread.sleep(200);
      }
    } catch (IOException e) {
      throw new CliException("cannot read " + log + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while slipway up was starting");
    }
    throw new CliException(
        "slipway up was not ready within " + timeout.toSeconds() + " s: " + tail(seen));
  }

  private static final Path SETSID =
      Files.isExecutable(Path.of("/usr/bin/setsid"))
          ? Path.of("/usr/bin/setsid")
          : Files.isExecutable(Path.of("/bin/setsid")) ? Path.of("/bin/setsid") : null;

  static List<String> command(Path dataDir, Integer basePort) {
    List<String> command = new ArrayList<>();
    if (SETSID != null) {
      // Not a group leader, so setsid execs in place: the pid stays the one this JVM watches.
      command.add(SETSID.toString());
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    // As the slipway script starts the CLI: `up` supervises, it needs little heap and no C2.
    command.addAll(List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.add("-jar");
    command.add(cliJar().toString());
    command.add("up");
    command.add("--data-dir");
    command.add(dataDir.toString());
    if (basePort != null) {
      command.add("--ports");
      command.add(basePort.toString());
    }
    return command;
  }

  private static Path cliJar() {
    try {
      Path location =
          Path.of(BackgroundUp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(location)) {
        throw new CliException(
            "cannot start slipway up from " + location + ": run the packaged slipway-cli.jar");
      }
      return location;
    } catch (URISyntaxException e) {
      throw new CliException("cannot locate the slipway jar: " + e.getMessage());
    }
  }

  /** Complete lines appended since the last call; a partial last line waits for its end. */
  private static List<String> newLines(
      RandomAccessFile reader, java.io.ByteArrayOutputStream partial) throws IOException {
    List<String> lines = new ArrayList<>();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = reader.read(buffer)) > 0) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          lines.add(partial.toString(StandardCharsets.UTF_8));
          partial.reset();
        } else {
          partial.write(buffer[i]);
        }
      }
    }
    return lines;
  }

  private static String tail(List<String> lines) {
    return String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }
}

package dev.slipway.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Slipway service running as a child JVM from its {@code quarkus-run.jar}, started on a port of
 * its own and considered up once {@code /q/health/ready} answers 200. Its configuration (admin
 * token, secrets key, database password among it) reaches it through a file only the platform user
 * can read, never its command line, which every process of the machine can read.
 */
public final class ServiceProcess implements AutoCloseable {

  /** How long a stopping service may take before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(3);

  /**
   * Sized to what an idle and a busy service measured (bench/local-stack.sh, docs/performance.md):
   * about 25 MiB of live heap after a collection and 100 MiB of metaspace. The serial collector
   * needs no collector threads or remembered sets, which the default (G1) spends on heaps many
   * times larger; the limits turn a leak into an error instead of a machine that swaps.
   */
  static final List<String> MEMORY =
      List.of(
          "-Xms32m",
          "-Xmx192m",
          "-XX:+UseSerialGC",
          "-XX:MaxMetaspaceSize=256m",
          "-XX:ReservedCodeCacheSize=96m",
          "-XX:TieredStopAtLevel=1");

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** As below, in the directory {@code <log's directory>/<name>.home}. */
  public static ServiceProcess start(
      String name, Path jar, int port, Map<String, String> config, Path log, Duration timeout) {
    return start(
        name, jar, port, config, log.toAbsolutePath().resolveSibling(name + ".home"), log, timeout);
  }

  /**
   * Starts {@code jar} with {@code config} ({@code quarkus.http.port} is set to {@code port}, 0
   * picking a free one), appending its output to {@code log}, and waits until it is ready. The
   * configuration is written to {@code home/config/application.properties} (0600, in 0700
   * directories), which Quarkus reads from the working directory, {@code home}, above the service's
   * built-in application.properties.
   */
  public static ServiceProcess start(
      String name,
      Path jar,
      int port,
      Map<String, String> config,
      Path home,
      Path log,
      Duration timeout) {
    ServiceProcess service = launch(name, jar, port, config, home, log);
    service.awaitReady(timeout);
    return service;
  }

  /**
   * Starts the process as {@link #start} does without waiting for it to be ready, so that whoever
   * supervises it holds its handle (and can stop it) while it starts.
   */
  public static ServiceProcess launch(
      String name, Path jar, int port, Map<String, String> config, Path home, Path log) {
    return launch(name, jar, port, config, home, log, List.of());
  }

  /** As above, the JVM also given {@code jvmOptions} (class-data sharing: ClassDataArchive). */
  public static ServiceProcess launch(
      String name,
      Path jar,
      int port,
      Map<String, String> config,
      Path home,
      Path log,
      List<String> jvmOptions) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          name + " is not built: " + jar + " is missing (./mvnw package)");
    }
    int httpPort = port == 0 ? FreePorts.pick() : port;
    Map<String, String> properties = new TreeMap<>(config);
    properties.put("quarkus.http.port", Integer.toString(httpPort));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(MEMORY);
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      PrivateFiles.directory(home);
      PrivateFiles.directory(home.resolve("config"));
      PrivateFiles.writeProperties(
          configFile(home), properties, name + ": written by Slipway at every start");
      Process process =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new ServiceProcess(name, process, httpPort, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  /** Where {@link #start} writes the configuration of a service running in {@code home}. */
  public static Path configFile(Path home) {
    return home.resolve("config").resolve("application.properties");
  }

  public String name() {
    return name;
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Kills the process at once (SIGKILL), as a crash would: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(30));
  }

  /**
   * Stops the process (SIGTERM), killing it after {@link #STOP_GRACE}: a service closes its Kafka
   * consumers one after another, 2-3 s each, and every step it takes is safe to cut short (work is
   * committed with its events, consumers are idempotent), so waiting longer buys nothing.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (!waitForExit(STOP_GRACE)) {
        kill();
      }
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * One readiness check: whether {@code /q/health/ready} answers 200 within {@code timeout}. A
   * process that is alive but stuck (out of heap, stopped) answers nothing and so is not ready.
   */
  public boolean ready(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    HttpRequest ready =
        HttpRequest.newBuilder(baseUri().resolve("/q/health/ready")).timeout(timeout).build();
    try {
      return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until the service answers its readiness check; stops it and throws when it exits first or
   * is not ready within {@code timeout}.
   */
  public void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with code " + process.exitValue() + ":\n" + Logs.tail(log, 40));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException(
        name + " was not ready within " + timeout + ":\n" + Logs.tail(log, 40));
  }
}

package dev.slipway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The supervisor's readiness rule, and a real child JVM that stops answering being killed. */
class ReadinessWatchdogTest {

  private static final long S = 1_000_000_000L;

  /**
   * A service answering {@code /q/health/ready} on {@code quarkus.http.port}, read like Quarkus
   * reads it from {@code config/application.properties} in its working directory.
   */
  private static final String STUB =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.io.FileReader;
      import java.net.InetSocketAddress;
      import java.util.Properties;
      public class Stub {
        public static void main(String[] args) throws Exception {
          Properties config = new Properties();
          try (FileReader in = new FileReader("config/application.properties")) {
            config.load(in);
          }
          int port = Integer.parseInt(config.getProperty("quarkus.http.port"));
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
          server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
          server.start();
        }
      }
      """;

  @TempDir Path dir;

  @ParameterizedTest(name = "unready since {0} s, check at {1} s, ready={2}: since {3}")
  @CsvSource({
    "-1, 10, true, -1", // ready stays ready
    "-1, 10, false, 10", // the first failure starts the clock
    "4, 10, false, 4", // further failures keep it
    "4, 10, true, -1", // one success resets it
  })
  void unreadyClockStartsAtTheFirstFailureAndResetsOnSuccess(
      long since, long now, boolean ready, long expected) {
    long sinceNanos = since < 0 ? -1 : since * S;
    long expectedNanos = expected < 0 ? -1 : expected * S;
    assertEquals(expectedNanos, ReadinessWatchdog.next(sinceNanos, ready, now * S));
  }

  @ParameterizedTest(name = "unready since {0} s, now {1} s, bound 30 s: stuck={2}")
  @CsvSource({"-1, 100, false", "10, 39, false", "10, 40, false", "10, 41, true"})
  void aServiceIsStuckOnlyAfterFailingLongerThanTheBound(long since, long now, boolean stuck) {
    assertEquals(
        stuck,
        ReadinessWatchdog.stuck(since < 0 ? -1 : since * S, now * S, Duration.ofSeconds(30)));
  }

  @Test
  void aServiceThatStopsAnsweringIsKilledAfterTheBoundAndAHealthyOneIsLeftAlone() throws Exception {
    Path jar = stubJar();
    ServiceProcess stuck =
        ServiceProcess.start("stuck-service", jar, 0, Map.of(), dir.resolve("a.log"), timeout());
    ServiceProcess healthy =
        ServiceProcess.start("healthy-service", jar, 0, Map.of(), dir.resolve("b.log"), timeout());
    try {
      List<String> said = new CopyOnWriteArrayList<>();
      ReadinessWatchdog watchdog =
          new ReadinessWatchdog(Duration.ofSeconds(2), Duration.ofMillis(200), said::add);
      assertFalse(watchdog.killIfStuck(stuck, System.nanoTime()), "ready: left alone");

      signal("STOP", stuck.process().pid());
      long stopped = System.nanoTime();
      boolean killed = false;
      while (!killed && System.nanoTime() - stopped < 30 * S) {
        killed = watchdog.killIfStuck(stuck, System.nanoTime());
        assertFalse(watchdog.killIfStuck(healthy, System.nanoTime()), "healthy: left alone");
        Thread.sleep(100);
      }

      assertTrue(killed, "the stopped service was killed");
      assertTrue(System.nanoTime() - stopped >= 2 * S, "not before the bound");
      assertFalse(stuck.process().isAlive());
      assertTrue(healthy.process().isAlive());
      assertTrue(
          said.get(0).startsWith("stuck-service has not been ready for over 2 s"), said::toString);
    } finally {
      stuck.kill();
      healthy.close();
    }
  }

  private static Duration timeout() {
    return Duration.ofMinutes(2);
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
    assertEquals(0, kill.waitFor());
  }

  private Path stubJar() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(src.resolve("Stub.java"), STUB);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.resolve("Stub.java").toString());
    assertEquals(0, rc, "the stub compiles");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Stub");
    Path jar = dir.resolve("stub.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("Stub.class"));
      out.write(Files.readAllBytes(classes.resolve("Stub.class")));
      out.closeEntry();
    }
    return jar;
  }
}

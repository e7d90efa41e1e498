package dev.slipway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The supervisor's readiness rule, and a real child JVM that stops answering being killed. */
class ReadinessWatchdogTest {

  private static final long S = 1_000_000_000L;

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
    Path jar = StubService.jar(dir);
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
}

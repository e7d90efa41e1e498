package dev.slipway.platform.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How a worker records the end of its work when the database is away for a while. */
class WorkerPoolTest {

  private final WorkerPool<String> pool =
      new WorkerPool<>("test-worker", 1, Duration.ofSeconds(1), Optional::empty, item -> {});

  @Test
  void theEndOfWorkIsStoredOnceTheDatabaseIsBackInsteadOfBeingLost() {
    AtomicInteger attempts = new AtomicInteger();
    String stored =
        pool.untilStored(
            "the end of build b",
            () -> {
              if (attempts.incrementAndGet() < 4) {
                throw new IllegalStateException(new ConnectException("Connection refused"));
              }
              return "ended";
            });
    assertEquals("ended", stored);
    assertEquals(4, attempts.get());
  }

  @Test
  void aStoppingPoolGivesUpSoTheRestartSweepEndsTheWork() {
    pool.stop();
    AtomicInteger attempts = new AtomicInteger();
    IllegalStateException failure =
        assertThrows(
            IllegalStateException.class,
            () ->
                pool.untilStored(
                    "the end of build b",
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalStateException(new ConnectException("Connection refused"));
                    }));
    assertEquals("Connection refused", failure.getCause().getMessage());
    assertEquals(1, attempts.get());
  }

  @Test
  void aFailureOfTheStatementItselfIsNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    assertThrows(
        IllegalStateException.class,
        () ->
            pool.untilStored(
                "the end of build b",
                () -> {
                  attempts.incrementAndGet();
                  throw new IllegalStateException("duplicate key value violates unique constraint");
                }));
    assertEquals(1, attempts.get());
  }
}

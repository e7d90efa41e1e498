package dev.slipway.kubernetes.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operators' retry delays: doubling from one second, never beyond five minutes. */
class BackoffTest {

  @ParameterizedTest(name = "failure {0} waits {1} s")
  @CsvSource({"1, 1", "2, 2", "3, 4", "8, 128", "9, 256", "10, 300", "40, 300", "1000, 300"})
  void theDefaultDoublesFromOneSecondUpToFiveMinutes(int failures, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), Backoff.DEFAULT.after(failures));
  }

  @Test
  void aBackoffWhoseCapIsBelowItsFirstDelayIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}

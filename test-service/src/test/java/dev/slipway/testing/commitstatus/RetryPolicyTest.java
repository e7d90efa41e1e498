package dev.slipway.testing.commitstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry policy doubles its backoff up to a cap and refuses nonsense. */
class RetryPolicyTest {

  @Test
  void defaultsAreFiveAttemptsFromOneSecondDoublingToThirtyWithTenSecondRequests() {
    RetryPolicy defaults = RetryPolicy.defaults();

    assertEquals(5, defaults.maxAttempts());
    assertEquals(Duration.ofSeconds(1), defaults.initialBackoff());
    assertEquals(Duration.ofSeconds(30), defaults.maxBackoff());
    assertEquals(Duration.ofSeconds(10), defaults.requestTimeout());
  }

  @Test
  void backoffDoublesAfterEachFailedAttemptUntilTheCap() {
    RetryPolicy policy = RetryPolicy.defaults();

    assertEquals(Duration.ofSeconds(1), policy.backoffAfter(1));
    assertEquals(Duration.ofSeconds(2), policy.backoffAfter(2));
    assertEquals(Duration.ofSeconds(4), policy.backoffAfter(3));
    assertEquals(Duration.ofSeconds(16), policy.backoffAfter(5));
    assertEquals(Duration.ofSeconds(30), policy.backoffAfter(6));
    assertEquals(Duration.ofSeconds(30), policy.backoffAfter(Integer.MAX_VALUE));
  }

  @Test
  void impossiblePoliciesAreRefused() {
    Duration second = Duration.ofSeconds(1);
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, second, second, second));
    assertThrows(
        IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ZERO, second, second));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(1, second, Duration.ofMillis(10), second));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(1, second, second, Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> new RetryPolicy(1, null, second, second));
  }
}

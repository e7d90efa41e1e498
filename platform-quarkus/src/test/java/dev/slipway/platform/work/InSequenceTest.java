package dev.slipway.platform.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Steps run one after another, never overlapping, and stop at the first failure. */
class InSequenceTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void stepsRunInOrderEachStartingAfterThePreviousFinished() {
    List<String> log = new ArrayList<>();
    AtomicInteger running = new AtomicInteger();

    InSequence.forEach(
            List.of("a", "b", "c"),
            item -> {
              log.add("start " + item + " with " + running.incrementAndGet() + " running");
              // Each step finishes later, on another thread: an overlap would show as 2 running.
              return Uni.createFrom()
                  .item(item)
                  .onItem()
                  .delayIt()
                  .by(Duration.ofMillis(20))
                  .invoke(() -> running.decrementAndGet());
            })
        .await()
        .atMost(WAIT);

    assertEquals(
        List.of("start a with 1 running", "start b with 1 running", "start c with 1 running"), log);
  }

  @Test
  void aFailingStepStopsTheSequenceAndFailsIt() {
    List<Integer> started = new ArrayList<>();

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                InSequence.forEach(
                        List.of(1, 2, 3),
                        n -> {
                          started.add(n);
                          return n == 2
                              ? Uni.createFrom().failure(new IllegalStateException("step 2"))
                              : Uni.createFrom().voidItem();
                        })
                    .await()
                    .atMost(WAIT));

    assertEquals("step 2", e.getMessage());
    assertEquals(List.of(1, 2), started);
  }

  @Test
  void noItemsIsDoneAtOnceAndFoldGivesItsInitialValue() {
    assertEquals(
        null,
        InSequence.forEach(List.of(), n -> Uni.createFrom().failure(new AssertionError()))
            .await()
            .atMost(WAIT));
    assertEquals(
        7,
        InSequence.<Integer, Integer>fold(List.of(), 7, (acc, n) -> Uni.createFrom().item(acc + n))
            .await()
            .atMost(WAIT));
  }

  @Test
  void foldThreadsTheAccumulatorThroughTheSteps() {
    assertEquals(
        "abc",
        InSequence.fold(List.of("a", "b", "c"), "", (acc, s) -> Uni.createFrom().item(acc + s))
            .await()
            .atMost(WAIT));
  }

  @Test
  void stepsAreMadeOnlyWhenTheirTurnComesNotWhenTheSequenceIsBuilt() {
    List<Integer> made = new ArrayList<>();

    Uni<Void> sequence =
        InSequence.forEach(
            List.of(1, 2),
            n -> {
              made.add(n);
              return Uni.createFrom().voidItem();
            });

    assertEquals(List.of(), made);
    sequence.await().atMost(WAIT);
    assertEquals(List.of(1, 2), made);
  }
}

package dev.slipway.platform.work;

import io.smallrye.mutiny.Uni;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one asynchronous step per item, each starting only when the one before has finished and the
 * first failure ending the sequence: a Hibernate Reactive session allows one operation at a time,
 * so steps on one session must never overlap.
 */
public final class InSequence {

  private InSequence() {}

  /** The steps for {@code items} in their order; a step is made only when its turn comes. */
  public static <T> Uni<Void> forEach(Iterable<T> items, Function<? super T, Uni<?>> step) {
    return fold(items, (Void) null, (ignored, item) -> step.apply(item).replaceWithVoid());
  }

  /**
   * Threads an accumulator through the steps for {@code items} in their order, e.g. to count what
   * the steps did; {@code initial} when there are no items.
   */
  public static <T, A> Uni<A> fold(
      Iterable<T> items, A initial, BiFunction<A, ? super T, Uni<A>> step) {
    Uni<A> chain = Uni.createFrom().item(initial);
    for (T item : items) {
      chain = chain.flatMap(acc -> step.apply(acc, item));
    }
    return chain;
  }
}

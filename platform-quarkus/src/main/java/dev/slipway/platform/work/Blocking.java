package dev.slipway.platform.work;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Runs reactive persistence work from a plain thread (build, test and release workers, operator
 * threads) and waits for it: Hibernate Reactive must run on a Vert.x context, which this provides.
 */
public final class Blocking {

  private Blocking() {}

  /** Subscribes to the Uni {@code work} makes on a Vert.x context and waits for its item. */
  public static <T> T await(Supplier<Uni<T>> work) {
    try {
      return VertxContextSupport.subscribeAndAwait(work);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}

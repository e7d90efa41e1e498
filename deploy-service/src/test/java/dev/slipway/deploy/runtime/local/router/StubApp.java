package dev.slipway.deploy.runtime.local.router;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in web process: a real Vert.x HTTP server on a free loopback port. */
final class StubApp {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private volatile boolean accepting = true;
  private Promise<Void> idle;
  private HttpServer server;

  private StubApp() {}

  /** Starts an app whose requests all go to {@code handler}, blocking until it listens. */
  static StubApp start(Vertx vertx, Handler<HttpServerRequest> handler) {
    StubApp app = new StubApp();
    HttpServer server = vertx.createHttpServer();
    // Vert.x 4 has no "stop accepting but keep connections"; refusing new ones comes closest.
    server.connectionHandler(
        connection -> {
          if (!app.accepting) {
            connection.close();
          }
        });
    server.requestHandler(
        request -> {
          app.inFlight.incrementAndGet();
          AtomicBoolean done = new AtomicBoolean();
          Runnable finished =
              () -> {
                if (done.compareAndSet(false, true)) {
                  app.served.incrementAndGet();
                  app.requestFinished();
                }
              };
          request.response().endHandler(ended -> finished.run());
          request.response().closeHandler(closed -> finished.run());
          handler.handle(request);
        });
    app.server = await(server.listen(0, "127.0.0.1"));
    return app;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  int port() {
    return server.actualPort();
  }

  int served() {
    return served.get();
  }

  /** Stops taking new connections, waits for requests in flight to finish, then closes. */
  synchronized Future<Void> closeGracefully() {
    accepting = false;
    idle = Promise.promise();
    if (inFlight.get() == 0) {
      idle.tryComplete();
    }
    return idle.future().compose(drained -> server.close());
  }

  /** Closes at once, like a process that exits. */
  void kill() {
    await(server.close());
  }

  private synchronized void requestFinished() {
    if (inFlight.decrementAndGet() == 0 && idle != null) {
      idle.tryComplete();
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete successfully", e);
    }
  }
}

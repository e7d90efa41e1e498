package dev.slipway.deploy.runtime.local.router;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Local mode's HTTP router: sends {@code http://<app>.localhost:<port>/...} and {@code
 * http://<host>:<port>/apps/<app>/...} to the app's current web process, the way Heroku's router
 * does.
 *
 * <p>Bodies stream both ways with back-pressure. Errors answer in Heroku's terms: 400 for a
 * malformed app name, 404 "no such app", 503 {@code H14} when the app has no web process, {@code
 * H19} when its process refuses the connection, {@code H13} when it closes the connection without
 * answering, and {@code H12} when it has not started answering within the request timeout (30 s by
 * default, as on Heroku).
 *
 * <p>{@link #start} blocks until the router listens and must not be called on a Vert.x event loop;
 * {@link #startAsync} is the non-blocking variant. Both leave the {@link Vertx} instance to the
 * caller.
 */
public final class LocalRouter implements AutoCloseable {

  /** Heroku's router gives an app 30 seconds to start its response. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  // Heroku's router allows 5 seconds to open a socket to a web process.
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  // Shorter than the keep-alive of common app servers (gunicorn 2 s, Node 5 s), so the router
  // rarely reuses a connection the app is about to close.
  private static final int KEEP_ALIVE_SECONDS = 1;
  // Heroku's rolling window: a connection with no byte either way for this long is dropped.
  private static final int IDLE_SECONDS = 55;

  private final HttpServer server;
  private final HttpClient client;
  private final RouteTable routes;

  private LocalRouter(HttpServer server, HttpClient client, RouteTable routes) {
    this.server = server;
    this.client = client;
    this.routes = routes;
  }

  /** Starts a router with Heroku's 30 s request timeout, blocking until it listens. */
  public static LocalRouter start(Vertx vertx, String host, int port) {
    return start(vertx, host, port, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * Starts a router, blocking until it listens.
   *
   * @param port the port to listen on, 0 for any free port (see {@link #port()})
   * @param requestTimeout how long an app may take to start its response before 503 H12, counted
   *     from when the request is routed, so it includes sending the request body (Heroku counts the
   *     same way)
   */
  public static LocalRouter start(Vertx vertx, String host, int port, Duration requestTimeout) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("LocalRouter.start blocks; use startAsync on an event loop");
    }
    try {
      return startAsync(vertx, host, port, requestTimeout)
          .toCompletionStage()
          .toCompletableFuture()
          .get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the router", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "router could not listen on " + host + ":" + port, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("router did not start listening on " + host + ":" + port, e);
    }
  }

  /** Starts a router without blocking; the future completes once it listens. */
  public static Future<LocalRouter> startAsync(
      Vertx vertx, String host, int port, Duration requestTimeout) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(host, "host");
    long timeoutMillis = requestTimeout.toMillis();
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
    }
    RouteTable routes = new RouteTable();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setIdleTimeout(
                    (int)
                        Math.max(IDLE_SECONDS, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis) + 1))
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxHeaderSize(64 * 1024)
                .setMaxInitialLineLength(8 * 1024),
            new PoolOptions().setHttp1MaxSize(256));
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions()
                // The proxy speaks HTTP/1.1 to apps; an h2c upgrade would leave later requests of
                // the same client connection as HTTP/2 streams it cannot forward.
                .setHttp2ClearTextEnabled(false)
                .setHandle100ContinueAutomatically(true)
                .setMaxInitialLineLength(8 * 1024)
                .setMaxHeaderSize(16 * 1024));
    server.requestHandler(
        request -> new ProxyExchange(vertx, client, routes, timeoutMillis, request).run());
    return server
        .listen(port, host)
        .map(listening -> new LocalRouter(listening, client, routes))
        .onFailure(failure -> client.close());
  }

  /** The port the router listens on, the chosen one when started with port 0. */
  public int port() {
    return server.actualPort();
  }

  /** The routes this router serves; changes take effect for the next request. */
  public RouteTable routes() {
    return routes;
  }

  /** Stops listening and closes every connection, aborting requests still in flight. */
  public Future<Void> closeAsync() {
    return server.close().eventually(() -> client.close());
  }

  /** Like {@link #closeAsync()}, waiting for it unless called on an event loop. */
  @Override
  public void close() {
    Future<Void> closed = closeAsync();
    if (Context.isOnEventLoopThread()) {
      return;
    }
    try {
      closed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("router did not close cleanly", e);
    }
  }
}

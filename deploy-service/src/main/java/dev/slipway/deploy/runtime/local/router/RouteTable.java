package dev.slipway.deploy.runtime.local.router;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The router's table of which web process serves each app, switchable atomically while requests are
 * in flight.
 *
 * <p>A zero-downtime switch-over is: start the new process, wait until it answers, {@link
 * #route(String, URI)} to it, wait for {@link #drained(URI)} of the old backend, then stop the old
 * process. Every method is thread-safe.
 */
public final class RouteTable {

  private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<URI, InFlight> inFlight = new ConcurrentHashMap<>();

  /** Whether {@code app} is a well-formed app name ({@code [a-z][a-z0-9-]{0,62}}). */
  public static boolean isValidAppName(String app) {
    return app != null && APP_NAME.matcher(app).matches();
  }

  /**
   * Sends the app's new requests to {@code backend} ({@code http://host:port}); requests already on
   * their way to the previous backend complete there.
   */
  public void route(String app, URI backend) {
    routes.put(requireAppName(app), new Backend(normalize(backend)));
  }

  /** Forgets the app: its requests get 404 from now on. */
  public void remove(String app) {
    routes.remove(requireAppName(app));
  }

  /** The backend currently serving the app, empty when unknown or unavailable. */
  public Optional<URI> backend(String app) {
    return lookup(app) instanceof Backend backend ? Optional.of(backend.uri()) : Optional.empty();
  }

  /** Keeps the app known but with no web process, so its requests get 503 H14. */
  public void markUnavailable(String app, String reason) {
    routes.put(requireAppName(app), new Unavailable(reason == null ? "" : reason));
  }

  /**
   * Completes once no request the router has sent, or is about to send, to {@code backend} is still
   * in flight. Meant to be called after routing away from it; the future completes immediately when
   * nothing is in flight. Completion runs on whichever thread released the last request, so callers
   * should not block in dependent stages.
   */
  public CompletableFuture<Void> drained(URI backend) {
    URI key = normalize(backend);
    CompletableFuture<Void> drained = new CompletableFuture<>();
    AtomicBoolean idle = new AtomicBoolean();
    inFlight.compute(
        key,
        (k, current) -> {
          if (current == null) {
            idle.set(true);
            return null;
          }
          current.waiters.add(drained);
          return current;
        });
    if (idle.get()) {
      drained.complete(null);
    }
    return drained;
  }

  Route lookup(String app) {
    return isValidAppName(app) ? routes.get(app) : null;
  }

  /**
   * Reserves the app's current backend for one request, or returns null when the app has none.
   *
   * <p>The count goes up before the route is read a second time, so a {@link #drained(URI)} that
   * follows a switch either sees this request or this request sees the switch and moves on.
   */
  Lease acquire(String app) {
    while (true) {
      Route route = lookup(app);
      if (!(route instanceof Backend backend)) {
        return null;
      }
      inFlight.compute(
          backend.uri(),
          (k, current) -> {
            InFlight counted = current == null ? new InFlight() : current;
            counted.count++;
            return counted;
          });
      if (routes.get(app) == route) {
        return new Lease(backend.uri());
      }
      release(backend.uri());
    }
  }

  private void release(URI backend) {
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    inFlight.computeIfPresent(
        backend,
        (k, current) -> {
          current.count--;
          if (current.count > 0) {
            return current;
          }
          waiters.addAll(current.waiters);
          return null;
        });
    waiters.forEach(waiter -> waiter.complete(null));
  }

  private static String requireAppName(String app) {
    if (!isValidAppName(app)) {
      throw new IllegalArgumentException("invalid app name: " + app);
    }
    return app;
  }

  private static URI normalize(URI backend) {
    Objects.requireNonNull(backend, "backend");
    if (!"http".equalsIgnoreCase(backend.getScheme()) || backend.getHost() == null) {
      throw new IllegalArgumentException("backend must be http://host:port, got " + backend);
    }
    String path = backend.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException("backend must not have a path, got " + backend);
    }
    int port = backend.getPort() == -1 ? 80 : backend.getPort();
    return URI.create("http://" + backend.getHost().toLowerCase() + ":" + port);
  }

  /** What an app's traffic currently goes to. */
  sealed interface Route permits Backend, Unavailable {}

  /** The app's web process listens at {@code uri}. */
  record Backend(URI uri) implements Route {}

  /** The app exists but has no web process to take requests. */
  record Unavailable(String reason) implements Route {}

  /** One request's hold on a backend; releasing twice is harmless. */
  final class Lease {
    private final URI backend;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(URI backend) {
      this.backend = backend;
    }

    URI backend() {
      return backend;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        RouteTable.this.release(backend);
      }
    }
  }

  private static final class InFlight {
    private int count;
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  }
}

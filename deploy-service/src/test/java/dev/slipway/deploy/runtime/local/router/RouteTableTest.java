package dev.slipway.deploy.runtime.local.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The route table's bookkeeping, without any HTTP. */
class RouteTableTest {

  private final RouteTable routes = new RouteTable();

  @Test
  void routeReplacesTheBackendAndRemoveForgetsTheApp() {
    routes.route("shop", URI.create("http://127.0.0.1:5000"));
    routes.route("shop", URI.create("http://127.0.0.1:5001/"));

    assertEquals(Optional.of(URI.create("http://127.0.0.1:5001")), routes.backend("shop"));
    routes.remove("shop");
    assertTrue(routes.backend("shop").isEmpty());
    assertNull(routes.lookup("shop"));
  }

  @Test
  void unavailableAppIsKnownButHasNoBackend() {
    routes.route("shop", URI.create("http://127.0.0.1:5000"));
    routes.markUnavailable("shop", "booting");

    assertTrue(routes.backend("shop").isEmpty());
    RouteTable.Unavailable unavailable =
        assertInstanceOf(RouteTable.Unavailable.class, routes.lookup("shop"));
    assertEquals("booting", unavailable.reason());
    assertNull(routes.acquire("shop"));
  }

  @Test
  void rejectsMalformedAppNamesAndBackends() {
    URI backend = URI.create("http://127.0.0.1:5000");
    for (String name : new String[] {"", "Shop", "9lives", "a_b", "a.b", "a" + "b".repeat(63)}) {
      assertThrows(IllegalArgumentException.class, () -> routes.route(name, backend), name);
      assertThrows(IllegalArgumentException.class, () -> routes.markUnavailable(name, "x"), name);
      assertTrue(routes.backend(name).isEmpty());
    }
    assertTrue(RouteTable.isValidAppName("a" + "b".repeat(62)));
    assertThrows(
        IllegalArgumentException.class,
        () -> routes.route("shop", URI.create("https://127.0.0.1:5000")));
    assertThrows(
        IllegalArgumentException.class,
        () -> routes.route("shop", URI.create("http://127.0.0.1:5000/base")));
  }

  @Test
  void drainedCompletesWhenTheLastRequestToTheBackendIsReleased() {
    URI old = URI.create("http://127.0.0.1:5000");
    routes.route("shop", old);
    RouteTable.Lease first = routes.acquire("shop");
    RouteTable.Lease second = routes.acquire("shop");
    routes.route("shop", URI.create("http://127.0.0.1:5001"));

    CompletableFuture<Void> drained = routes.drained(URI.create("http://127.0.0.1:5000/"));
    first.release();
    first.release();
    assertFalse(drained.isDone());
    second.release();

    assertTrue(drained.isDone());
    assertEquals(URI.create("http://127.0.0.1:5001"), routes.acquire("shop").backend());
  }

  @Test
  void drainedIsImmediateForABackendWithNothingInFlight() {
    assertTrue(routes.drained(URI.create("http://127.0.0.1:5000")).isDone());
  }
}

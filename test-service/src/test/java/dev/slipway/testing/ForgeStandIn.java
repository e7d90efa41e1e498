package dev.slipway.testing;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.testkit.FakeForge;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A GitHub API stand-in: a real HTTP server on a loopback port that records commit statuses and
 * answers 201. The port is chosen when Quarkus starts (it configures {@code
 * slipway.forge.github.api-url}); the server itself is started by the test, in its class loader.
 */
public class ForgeStandIn implements QuarkusTestResourceLifecycleManager {

  private static final String PORT_PROPERTY = "slipway.test.forge.port";

  /** One status as the forge received it. */
  record Received(String path, String body) {}

  private static HttpServer server;
  private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();

  @Override
  public Map<String, String> start() {
    if (System.getProperty(PORT_PROPERTY) == null) {
      try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
        System.setProperty(PORT_PROPERTY, Integer.toString(s.getLocalPort()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // The stand-in is a loopback HTTP forge: allowed here as an admin would allow a lab forge.
    return FakeForge.forgeApiSettings(Integer.parseInt(System.getProperty(PORT_PROPERTY)));
  }

  @Override
  public void stop() {
    // The server lives as long as the test JVM.
  }

  /** Starts the server on the configured port (once per test class loader). */
  static synchronized void serve() throws IOException {
    if (server != null) {
      return;
    }
    int port = Integer.parseInt(System.getProperty(PORT_PROPERTY));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            RECEIVED.add(
                new Received(
                    exchange.getRequestURI().getRawPath(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.start();
  }

  /** The states posted for {@code owner/repo}'s commit {@code sha}, in arrival order. */
  static List<String> states(String repo, String sha) {
    return RECEIVED.stream()
        .filter(r -> r.path().equals("/repos/" + repo + "/statuses/" + sha))
        .map(r -> r.body().replaceAll(".*\"state\":\"([a-z]+)\".*", "$1"))
        .toList();
  }
}

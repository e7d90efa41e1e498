package dev.slipway.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A forge API stand-in: a real HTTP server on a free loopback port that records requests and plays
 * scripted replies (commit statuses, deployments).
 */
public final class FakeForge implements AutoCloseable {

  /** One request as the forge received it, path and query still percent-encoded. */
  public record Request(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      String body) {

    public String header(String name) {
      for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** How the forge answers one request. */
  @FunctionalInterface
  public interface Reply {
    void send(HttpExchange exchange, Request request, FakeForge forge) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);

  public FakeForge() throws IOException {
    this(0);
  }

  /** A forge on {@code port} of the loopback interface, for a service configured before it runs. */
  public FakeForge(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * The settings that point a service's GitHub and GitLab APIs at a forge on {@code port} of the
   * loopback interface and allow it as an admin would allow a lab forge (plain HTTP, private
   * address).
   */
  public static Map<String, String> forgeApiSettings(int port) {
    return Map.of(
        "slipway.forge.github.api-url",
        "http://127.0.0.1:" + port,
        "slipway.forge.gitlab.api-url",
        "http://127.0.0.1:" + port,
        "slipway.forge.hosts",
        "github.com,api.github.com,gitlab.com,127.0.0.1",
        "slipway.forge.http-hosts",
        "127.0.0.1",
        "slipway.outbound.allow-private-addresses",
        "true");
  }

  public static Reply status(int code) {
    return status(code, "{}", Map.of());
  }

  public static Reply status(int code, String body, Map<String, String> headers) {
    return (exchange, request, forge) -> {
      headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    };
  }

  /** Answers 201 only once {@link #release()} is called (or the forge closes). */
  public static Reply held() {
    return (exchange, request, forge) -> {
      try {
        forge.released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      status(201).send(exchange, request, forge);
    };
  }

  /** Scripts the next replies; requests beyond the script get 201. */
  public FakeForge replies(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  public void release() {
    released.countDown();
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      requests.add(request);
      Reply reply = script.poll();
      (reply == null ? status(201) : reply).send(exchange, request, this);
    } catch (IOException e) {
      // The client gave up on a held request; nothing is left to answer.
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }
}

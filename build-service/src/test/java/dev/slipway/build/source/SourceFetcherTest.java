package dev.slipway.build.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.platform.outbound.UrlPolicy;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A repository server that answers what JGit cannot read is a fetch failure Slipway reports, never
 * an unchecked exception escaping to a request path (where it would be a 500).
 */
class SourceFetcherTest {

  private HttpServer dumbServer;

  /** An installation whose admin allowed this loopback host over http. */
  private static final UrlPolicy LOOPBACK_ALLOWED =
      new UrlPolicy(new UrlPolicy.Settings(Set.of("127.0.0.1"), Set.of("127.0.0.1"), false, true));

  private String url;

  /** A dumb-HTTP git server on loopback whose ref list holds an object id that is not hex. */
  @BeforeEach
  void startDumbServer() throws Exception {
    dumbServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    dumbServer.createContext(
        "/repo.git/",
        exchange -> {
          byte[] body =
              "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\trefs/heads/main\n"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    dumbServer.start();
    url = "http://127.0.0.1:" + dumbServer.getAddress().getPort() + "/repo.git";
  }

  @AfterEach
  void stop() {
    dumbServer.stop(0);
  }

  @Test
  void unreadableRefListFromADumbHttpServerIsAFetchFailureNotACrash() {
    SourceException e =
        assertThrows(
            SourceException.class,
            () -> new SourceFetcher(Duration.ofSeconds(10), LOOPBACK_ALLOWED).resolve(url, "main"));
    assertFalse(e.usersFault(), "the server's answer is not the user's ref");
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    assertFalse(e.getMessage().contains("zzzz"), "the server's content is not echoed");
  }

  @Test
  void unreadableRefListWhileFetchingACommitIsAFetchFailure() throws Exception {
    Path dir = Files.createTempDirectory("fetch").resolve("src");
    assertThrows(
        SourceException.class,
        () ->
            new SourceFetcher(Duration.ofSeconds(10), LOOPBACK_ALLOWED)
                .fetch(url, "a".repeat(40), "main", null, dir, line -> {}));
  }
}

package dev.slipway.build.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.platform.outbound.UrlPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repository URLs pass the installation's URL policy before JGit connects, and what a server
 * answers never shows up in a build's error.
 */
class SourceFetcherPolicyTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String INTERNAL = "internal-secret-first-line";
  private static final UrlPolicy DEFAULTS = new UrlPolicy(UrlPolicy.Settings.defaults());

  @TempDir Path tmp;
  private HttpServer internal;
  private final AtomicInteger hits = new AtomicInteger();
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    internal.createContext(
        "/",
        exchange -> {
          hits.incrementAndGet();
          byte[] body =
              (INTERNAL + "\nslipway_outbox_published_total 3\n").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    internal.start();
  }

  @AfterEach
  void stop() {
    internal.stop(0);
  }

  private String internalUrl(String path) {
    return "http://127.0.0.1:" + internal.getAddress().getPort() + path;
  }

  @Test
  void internalEndpointsAndLocalPathsAreRefusedBeforeAnyConnection() throws Exception {
    Path localRepo = Files.createDirectories(tmp.resolve("outside.git"));
    SourceFetcher fetcher = new SourceFetcher(Duration.ofSeconds(5), DEFAULTS);
    List<String> hostile =
        List.of(
            internalUrl("/q/metrics"),
            "https://127.0.0.1:" + internal.getAddress().getPort() + "/acme/shop.git",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.1/acme/shop.git",
            "file://" + localRepo,
            localRepo.toString());
    for (String url : hostile) {
      SourceException fetch =
          assertThrows(
              SourceException.class,
              () ->
                  fetcher.fetch(
                      url,
                      SHA,
                      "main",
                      null,
                      tmp.resolve("w" + hits.get() + url.hashCode()),
                      log::add),
              url);
      assertTrue(fetch.usersFault(), url);
      assertTrue(fetch.getMessage().contains("is not allowed"), fetch.getMessage());
      SourceException resolve =
          assertThrows(SourceException.class, () -> fetcher.resolve(url, "main"), url);
      assertTrue(resolve.getMessage().contains("is not allowed"), resolve.getMessage());
    }
    assertEquals(0, hits.get(), "refusal must come before any connection");
  }

  @Test
  void anAllowListedNameThatResolvesToLoopbackIsRefusedBeforeConnecting() {
    UrlPolicy policy =
        new UrlPolicy(new UrlPolicy.Settings(Set.of("git.test"), Set.of("git.test"), false, false));
    SourceFetcher fetcher =
        new SourceFetcher(
            Duration.ofSeconds(5), policy, host -> List.of(InetAddress.getLoopbackAddress()));
    String url = "http://git.test:" + internal.getAddress().getPort() + "/acme/shop.git";
    SourceException e = assertThrows(SourceException.class, () -> fetcher.resolve(url, "main"));
    assertTrue(e.getMessage().contains("resolves to a loopback address"), e.getMessage());
    assertEquals(0, hits.get());
  }

  @Test
  void whatANonGitServerAnswersIsNeverEchoedInTheError() {
    // An admin allowed this loopback host; it still is not a git server.
    UrlPolicy lab =
        new UrlPolicy(
            new UrlPolicy.Settings(Set.of("127.0.0.1"), Set.of("127.0.0.1"), false, true));
    SourceFetcher fetcher = new SourceFetcher(Duration.ofSeconds(5), lab);
    String url = internalUrl("/q/metrics");
    SourceException resolve =
        assertThrows(SourceException.class, () -> fetcher.resolve(url, "main"));
    SourceException fetch =
        assertThrows(
            SourceException.class,
            () -> fetcher.fetch(url, SHA, "main", null, tmp.resolve("work"), log::add));
    assertTrue(hits.get() > 0, "the allowed server was asked");
    for (String message :
        List.of(resolve.getMessage(), fetch.getMessage(), String.join("\n", log))) {
      assertFalse(message.contains(INTERNAL), message);
      assertFalse(message.contains("slipway_outbox"), message);
    }
  }
}

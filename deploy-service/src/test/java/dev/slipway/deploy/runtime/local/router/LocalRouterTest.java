package dev.slipway.deploy.runtime.local.router;

import static dev.slipway.deploy.runtime.local.router.StubApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local router, exercised over real loopback HTTP against real stand-in web processes. */
class LocalRouterTest {

  private Vertx vertx;
  private LocalRouter router;
  private HttpClient client;

  @BeforeEach
  void startRouter() {
    vertx = Vertx.vertx();
    router = LocalRouter.start(vertx, "127.0.0.1", 0);
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
  }

  @AfterEach
  void stopEverything() {
    router.close();
    await(client.close());
    await(vertx.close());
  }

  @Test
  void hostHeaderRoutesToTheAppKeepingTheFullPath() {
    AtomicReference<Seen> seen = new AtomicReference<>();
    StubApp app = StubApp.start(vertx, recording("shop", seen));
    router.routes().route("shop", app.uri());

    Reply reply =
        call(HttpMethod.GET, "shop.localhost:" + router.port(), "/cart/items?page=2&q=a%20b");

    assertEquals(200, reply.status());
    assertEquals("shop", reply.text());
    assertEquals("/cart/items?page=2&q=a%20b", seen.get().uri());
    assertEquals("shop.localhost:" + router.port(), seen.get().headers().get("Host"));
    assertNull(seen.get().headers().get("X-Forwarded-Prefix"));
  }

  @Test
  void clientAskingForAnHttp2UpgradeIsAnsweredInHttp11() throws Exception {
    StubApp app = StubApp.start(vertx, request -> request.response().end("one"));
    router.routes().route("one", app.uri());

    // What the JDK's HttpClient sends first: the router must not switch the connection to h2c,
    // since it forwards HTTP/1.1 only and later requests on that connection would fail.
    String answer;
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", router.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: one.localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                      + "Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
                      + "Content-Length: 0\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      answer =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
              .readLine();
    }

    assertEquals("HTTP/1.1 200 OK", answer);
  }

  @Test
  void hostHeaderMatchesCaseInsensitivelyWithOrWithoutPort() {
    AtomicReference<Seen> seen = new AtomicReference<>();
    StubApp app = StubApp.start(vertx, recording("shop", seen));
    router.routes().route("shop", app.uri());

    assertEquals("shop", call(HttpMethod.GET, "Shop.LocalHost", "/").text());
    assertEquals("shop", call(HttpMethod.GET, "SHOP.localhost:" + router.port(), "/x").text());
    assertEquals("/x", seen.get().uri());
  }

  @Test
  void pathFormStripsTheAppPrefixKeepsTheQueryAndNamesThePrefix() {
    AtomicReference<Seen> seen = new AtomicReference<>();
    StubApp app = StubApp.start(vertx, recording("shop", seen));
    router.routes().route("shop", app.uri());
    String ip = "127.0.0.1:" + router.port();

    assertEquals("shop", call(HttpMethod.GET, ip, "/apps/shop/cart/items?page=2&sort=asc").text());
    assertEquals("/cart/items?page=2&sort=asc", seen.get().uri());
    assertEquals("/apps/shop", seen.get().headers().get("X-Forwarded-Prefix"));

    call(HttpMethod.GET, ip, "/apps/shop");
    assertEquals("/", seen.get().uri());

    call(HttpMethod.GET, ip, "/apps/shop?x=1");
    assertEquals("/?x=1", seen.get().uri());

    call(HttpMethod.GET, ip, "/apps/shop/");
    assertEquals("/", seen.get().uri());
  }

  @Test
  void unknownAppGets404NoSuchApp() {
    Reply byHost = call(HttpMethod.GET, "ghost.localhost", "/");
    Reply byPath = call(HttpMethod.GET, "127.0.0.1", "/apps/ghost/");
    Reply noApp = call(HttpMethod.GET, "127.0.0.1", "/");

    for (Reply reply : List.of(byHost, byPath, noApp)) {
      assertEquals(404, reply.status());
      assertTrue(reply.text().contains("no such app"), reply.text());
    }
  }

  @Test
  void removedAppGets404() {
    StubApp app = StubApp.start(vertx, recording("shop", new AtomicReference<>()));
    router.routes().route("shop", app.uri());
    assertEquals(200, call(HttpMethod.GET, "shop.localhost", "/").status());

    router.routes().remove("shop");

    assertEquals(404, call(HttpMethod.GET, "shop.localhost", "/").status());
    assertTrue(router.routes().backend("shop").isEmpty());
  }

  @Test
  void malformedAppNamesGet400() {
    for (String host : List.of("bad_name.localhost", "9lives.localhost", "a.b.localhost")) {
      Reply reply = call(HttpMethod.GET, host, "/");
      assertEquals(400, reply.status(), host);
      assertTrue(reply.text().contains("Invalid app name"), reply.text());
    }
    String longName = "a" + "b".repeat(63);
    for (String path :
        List.of("/apps/", "/apps", "/apps/Shop/", "/apps/a%2Fb/", "/apps/" + longName)) {
      assertEquals(400, call(HttpMethod.GET, "127.0.0.1", path).status(), path);
    }
  }

  @Test
  void appWithoutWebProcessGets503H14WithTheReason() {
    router.routes().markUnavailable("shop", "web.1 crashed");

    Reply reply = call(HttpMethod.GET, "shop.localhost", "/");

    assertEquals(503, reply.status());
    assertTrue(reply.text().startsWith("H14 - No web processes running"), reply.text());
    assertTrue(reply.text().contains("web.1 crashed"), reply.text());
    assertTrue(router.routes().backend("shop").isEmpty());
  }

  @Test
  void backendRefusingConnectionsGets503H19() {
    StubApp dead = StubApp.start(vertx, recording("dead", new AtomicReference<>()));
    URI deadUri = dead.uri();
    dead.kill();
    router.routes().route("shop", deadUri);

    Reply get = call(HttpMethod.GET, "shop.localhost", "/");
    Reply post =
        call(
            HttpMethod.POST,
            "shop.localhost",
            "/",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer("x"));

    for (Reply reply : List.of(get, post)) {
      assertEquals(503, reply.status());
      assertTrue(reply.text().startsWith("H19 - Backend connection timeout"), reply.text());
    }
  }

  @Test
  void backendClosingWithoutAnsweringGets503H13() {
    StubApp rude = StubApp.start(vertx, request -> request.connection().close());
    router.routes().route("shop", rude.uri());

    Reply reply =
        call(
            HttpMethod.POST,
            "shop.localhost",
            "/",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer("x"));

    assertEquals(503, reply.status());
    assertTrue(reply.text().startsWith("H13 - Connection closed without response"), reply.text());
  }

  @Test
  void backendSlowerThanTheRequestTimeoutGets503H12() {
    LocalRouter impatient = LocalRouter.start(vertx, "127.0.0.1", 0, Duration.ofMillis(200));
    try {
      StubApp silent = StubApp.start(vertx, request -> {});
      impatient.routes().route("shop", silent.uri());

      Reply reply =
          await(
              send(
                  impatient.port(),
                  HttpMethod.GET,
                  "shop.localhost",
                  "/",
                  MultiMap.caseInsensitiveMultiMap(),
                  null));

      assertEquals(503, reply.status());
      assertTrue(reply.text().startsWith("H12 - Request timeout"), reply.text());
    } finally {
      impatient.close();
    }
  }

  @Test
  void forwardsMethodStatusAndHeadersAndAddsHerokuRouterHeaders() {
    AtomicReference<Seen> seen = new AtomicReference<>();
    StubApp app =
        StubApp.start(
            vertx,
            request ->
                request
                    .body()
                    .onSuccess(
                        body -> {
                          seen.set(
                              new Seen(
                                  request.method().name(),
                                  request.uri(),
                                  copy(request.headers()),
                                  body));
                          request
                              .response()
                              .setStatusCode(201)
                              .setStatusMessage("Made It")
                              .putHeader("X-App", "yes")
                              .putHeader("Set-Cookie", "a=1")
                              .putHeader("Proxy-Authenticate", "Basic")
                              .end("created");
                        }));
    router.routes().route("shop", app.uri());
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("X-Custom", "kept")
            .add("Accept", "text/plain")
            .add("X-Request-Id", "client-supplied-request-id-0001")
            .add("X-Forwarded-For", "203.0.113.7")
            .add("X-Forwarded-Proto", "https")
            .add("Connection", "keep-alive, X-Hop")
            .add("X-Hop", "secret")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Authorization", "Basic Zm9vOmJhcg==");

    Reply reply =
        call(
            HttpMethod.PATCH,
            "shop.localhost:" + router.port(),
            "/orders/7",
            headers,
            Buffer.buffer("{\"n\":1}"));

    assertEquals(201, reply.status());
    assertEquals("Made It", reply.statusMessage());
    assertEquals("created", reply.text());
    assertEquals("yes", reply.headers().get("X-App"));
    assertEquals("a=1", reply.headers().get("Set-Cookie"));
    assertNull(reply.headers().get("Proxy-Authenticate"));

    Seen request = seen.get();
    assertEquals("PATCH", request.method());
    assertEquals("{\"n\":1}", request.body().toString());
    MultiMap forwarded = request.headers();
    assertEquals("kept", forwarded.get("X-Custom"));
    assertEquals("text/plain", forwarded.get("Accept"));
    assertEquals("client-supplied-request-id-0001", forwarded.get("X-Request-Id"));
    assertEquals("203.0.113.7, 127.0.0.1", forwarded.get("X-Forwarded-For"));
    assertEquals("http", forwarded.get("X-Forwarded-Proto"));
    assertEquals("shop.localhost:" + router.port(), forwarded.get("X-Forwarded-Host"));
    assertEquals(Integer.toString(router.port()), forwarded.get("X-Forwarded-Port"));
    assertNotNull(forwarded.get("X-Request-Start"));
    assertNull(forwarded.get("X-Hop"));
    assertNull(forwarded.get("Keep-Alive"));
    assertNull(forwarded.get("Proxy-Authorization"));
  }

  @Test
  void generatesARequestIdWhenTheClientSentNoneOrAMalformedOne() {
    AtomicReference<Seen> seen = new AtomicReference<>();
    StubApp app = StubApp.start(vertx, recording("shop", seen));
    router.routes().route("shop", app.uri());

    call(HttpMethod.GET, "shop.localhost", "/");
    String generated = seen.get().headers().get("X-Request-Id");
    call(
        HttpMethod.GET,
        "shop.localhost",
        "/",
        MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "short"),
        null);
    String replaced = seen.get().headers().get("X-Request-Id");

    assertNotNull(generated);
    assertTrue(generated.length() >= 20, generated);
    assertNotNull(replaced);
    assertFalse(replaced.equals("short"));
    assertFalse(replaced.equals(generated));
  }

  @Test
  void largeBodiesStreamIntactInBothDirections() throws Exception {
    StubApp echo =
        StubApp.start(
            vertx,
            request -> {
              request.response().setChunked(true);
              request.pipeTo(request.response());
            });
    router.routes().route("shop", echo.uri());
    byte[] upload = new byte[6 * 1024 * 1024 + 17];
    new Random(42).nextBytes(upload);

    Reply chunked = await(sendChunked("shop.localhost", "/upload", upload));
    Reply sized =
        call(
            HttpMethod.PUT,
            "shop.localhost",
            "/upload",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(upload));

    for (Reply reply : List.of(chunked, sized)) {
      assertEquals(200, reply.status());
      assertEquals(upload.length, reply.body().length());
      assertEquals(sha256(upload), sha256(reply.body().getBytes()));
    }
  }

  @Test
  void headAndNoContentResponsesPassThroughWithoutABody() {
    StubApp app =
        StubApp.start(
            vertx,
            request -> {
              if (request.method() == HttpMethod.HEAD) {
                request.response().putHeader("Content-Length", "1234").end();
              } else {
                request.response().setStatusCode(204).end();
              }
            });
    router.routes().route("shop", app.uri());

    Reply head = call(HttpMethod.HEAD, "shop.localhost", "/file");
    Reply deleted = call(HttpMethod.DELETE, "shop.localhost", "/file");
    Reply headAgain = call(HttpMethod.HEAD, "shop.localhost", "/file");

    for (Reply reply : List.of(head, headAgain)) {
      assertEquals(200, reply.status());
      assertEquals("1234", reply.headers().get("Content-Length"));
      assertEquals(0, reply.body().length());
    }
    assertEquals(204, deleted.status());
    assertEquals(0, deleted.body().length());
  }

  @Test
  void largeDownloadWithContentLengthArrivesIntact() throws Exception {
    byte[] file = new byte[5 * 1024 * 1024 + 3];
    new Random(7).nextBytes(file);
    StubApp files = StubApp.start(vertx, request -> request.response().end(Buffer.buffer(file)));
    router.routes().route("shop", files.uri());

    Reply reply = call(HttpMethod.GET, "127.0.0.1", "/apps/shop/file.bin");

    assertEquals(200, reply.status());
    assertEquals(Integer.toString(file.length), reply.headers().get("Content-Length"));
    assertEquals(sha256(file), sha256(reply.body().getBytes()));
  }

  @Test
  void switchingBackendsUnderConcurrentLoadFailsNoRequest() {
    StubApp a = StubApp.start(vertx, answering("A"));
    StubApp b = StubApp.start(vertx, answering("B"));
    router.routes().route("shop", a.uri());
    int loops = 4;
    int requestsPerLoop = 150;
    int switchAfter = 200;
    AtomicInteger completed = new AtomicInteger();
    AtomicBoolean switched = new AtomicBoolean();
    CompletableFuture<Void> aClosed = new CompletableFuture<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    Runnable switchOver =
        () -> {
          router.routes().route("shop", b.uri());
          switched.set(true);
          router
              .routes()
              .drained(a.uri())
              .thenCompose(drained -> a.closeGracefully().toCompletionStage())
              .whenComplete(
                  (closed, failure) -> {
                    if (failure != null) {
                      aClosed.completeExceptionally(failure);
                    } else {
                      aClosed.complete(null);
                    }
                  });
        };

    List<Future<Void>> loopsDone = new ArrayList<>();
    for (int loop = 0; loop < loops; loop++) {
      Promise<Void> done = Promise.promise();
      loopsDone.add(done.future());
      runLoop(
          loop,
          0,
          requestsPerLoop,
          done,
          outcomes,
          failures,
          completed,
          switched,
          switchAfter,
          switchOver);
    }
    await(Future.all(loopsDone));
    await(Future.fromCompletionStage(aClosed));

    assertTrue(failures.isEmpty(), () -> failures.size() + " failed: " + failures);
    assertEquals(loops * requestsPerLoop, outcomes.size());
    long fromA = outcomes.stream().filter(o -> o.backend().equals("A")).count();
    long fromB = outcomes.stream().filter(o -> o.backend().equals("B")).count();
    assertTrue(fromA > 0 && fromB > 0, "A=" + fromA + " B=" + fromB);
    assertEquals(loops * requestsPerLoop, fromA + fromB);
    assertTrue(
        outcomes.stream().filter(Outcome::sentAfterSwitch).allMatch(o -> o.backend().equals("B")),
        "a request sent after the switch reached A");
    assertEquals(fromA, a.served());

    assertEquals("B:", call(HttpMethod.GET, "shop.localhost", "/after").text());
  }

  @Test
  void drainedWaitsForRequestsStillInFlightToTheOldBackend() {
    Promise<Void> release = Promise.promise();
    CompletableFuture<Void> aReceived = new CompletableFuture<>();
    StubApp a =
        StubApp.start(
            vertx,
            request -> {
              aReceived.complete(null);
              release.future().onComplete(go -> request.response().end("A"));
            });
    StubApp b = StubApp.start(vertx, answering("B"));
    router.routes().route("shop", a.uri());

    Future<Reply> slow =
        send(
            router.port(),
            HttpMethod.GET,
            "shop.localhost",
            "/slow",
            MultiMap.caseInsensitiveMultiMap(),
            null);
    aReceived.join();
    router.routes().route("shop", b.uri());
    CompletableFuture<Void> drained = router.routes().drained(a.uri());

    assertEquals("B:", call(HttpMethod.GET, "shop.localhost", "/").text());
    assertFalse(drained.isDone());
    vertx.runOnContext(go -> release.complete());
    assertEquals("A", await(slow).text());
    drained.join();
    await(a.closeGracefully());
    assertEquals("B:", call(HttpMethod.GET, "shop.localhost", "/").text());
  }

  private void runLoop(
      int loop,
      int index,
      int total,
      Promise<Void> done,
      ConcurrentLinkedQueue<Outcome> outcomes,
      ConcurrentLinkedQueue<String> failures,
      AtomicInteger completed,
      AtomicBoolean switched,
      int switchAfter,
      Runnable switchOver) {
    if (index == total) {
      done.complete();
      return;
    }
    boolean sentAfterSwitch = switched.get();
    boolean post = index % 2 == 1;
    String payload = post ? "loop-" + loop + "-request-" + index : null;
    Future<Reply> reply =
        post
            ? send(
                router.port(),
                HttpMethod.POST,
                "shop.localhost",
                "/work",
                MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer(payload))
            : send(
                router.port(),
                HttpMethod.GET,
                "127.0.0.1",
                "/apps/shop/work",
                MultiMap.caseInsensitiveMultiMap(),
                null);
    reply.onComplete(
        ar -> {
          if (ar.failed()) {
            failures.add(loop + "/" + index + ": " + ar.cause());
          } else {
            Reply r = ar.result();
            String[] parts = r.text().split(":", 2);
            String expectedEcho = post ? payload : "";
            if (r.status() != 200 || parts.length != 2 || !parts[1].equals(expectedEcho)) {
              failures.add(loop + "/" + index + ": " + r.status() + " " + r.text());
            } else {
              outcomes.add(new Outcome(parts[0], sentAfterSwitch));
            }
          }
          if (completed.incrementAndGet() == switchAfter) {
            switchOver.run();
          }
          runLoop(
              loop,
              index + 1,
              total,
              done,
              outcomes,
              failures,
              completed,
              switched,
              switchAfter,
              switchOver);
        });
  }

  private Reply call(HttpMethod method, String host, String uri) {
    return call(method, host, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  private Reply call(HttpMethod method, String host, String uri, MultiMap headers, Buffer body) {
    return await(send(router.port(), method, host, uri, headers, body));
  }

  /**
   * Runs the exchange on an event loop: a response whose handlers are attached from a test thread
   * after it arrived would lose its body.
   */
  private Future<Reply> send(
      int port, HttpMethod method, String host, String uri, MultiMap headers, Buffer body) {
    return onEventLoop(() -> exchange(port, method, host, uri, headers, body));
  }

  private <T> Future<T> onEventLoop(Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(go -> work.get().onComplete(result));
    return result.future();
  }

  private Future<Reply> exchange(
      int port, HttpMethod method, String host, String uri, MultiMap headers, Buffer body) {
    return client
        .request(
            new RequestOptions()
                .setMethod(method)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(uri)
                .setHeaders(headers))
        .compose(
            request -> {
              request.authority(HostAndPort.parseAuthority(host, -1));
              return body == null ? request.send() : request.send(body);
            })
        .compose(
            response ->
                response
                    .body()
                    .map(
                        content ->
                            new Reply(
                                response.statusCode(),
                                response.statusMessage(),
                                response.headers(),
                                content)));
  }

  private Future<Reply> sendChunked(String host, String uri, byte[] content) {
    return onEventLoop(() -> exchangeChunked(host, uri, content));
  }

  private Future<Reply> exchangeChunked(String host, String uri, byte[] content) {
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(router.port())
                .setURI(uri))
        .compose(
            request -> {
              request.authority(HostAndPort.parseAuthority(host, -1));
              request.setChunked(true);
              int chunk = 64 * 1024;
              for (int offset = 0; offset < content.length; offset += chunk) {
                int end = Math.min(content.length, offset + chunk);
                request.write(Buffer.buffer(content).slice(offset, end));
              }
              request.end();
              return request.response();
            })
        .compose(
            response ->
                response
                    .body()
                    .map(
                        body ->
                            new Reply(
                                response.statusCode(),
                                response.statusMessage(),
                                response.headers(),
                                body)));
  }

  private static Handler<HttpServerRequest> recording(String name, AtomicReference<Seen> seen) {
    return request ->
        request
            .body()
            .onSuccess(
                body -> {
                  seen.set(
                      new Seen(
                          request.method().name(), request.uri(), copy(request.headers()), body));
                  request.response().end(name);
                });
  }

  /** Answers {@code <name>:<request body>}, sometimes after a short pause so requests overlap. */
  private Handler<HttpServerRequest> answering(String name) {
    AtomicInteger count = new AtomicInteger();
    return request ->
        request
            .body()
            .onSuccess(
                body -> {
                  String answer = name + ":" + body;
                  if (count.incrementAndGet() % 3 == 0) {
                    vertx.setTimer(2, later -> request.response().end(answer));
                  } else {
                    request.response().end(answer);
                  }
                });
  }

  private static MultiMap copy(MultiMap headers) {
    return MultiMap.caseInsensitiveMultiMap().addAll(headers);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** What a stand-in app received. */
  private record Seen(String method, String uri, MultiMap headers, Buffer body) {}

  /** What a client got back through the router. */
  private record Reply(int status, String statusMessage, MultiMap headers, Buffer body) {
    String text() {
      return body.toString();
    }
  }

  /**
   * Which backend answered one request of the load test, and whether it was sent after the switch.
   */
  private record Outcome(String backend, boolean sentAfterSwitch) {}
}

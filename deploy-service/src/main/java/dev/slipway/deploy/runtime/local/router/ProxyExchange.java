package dev.slipway.deploy.runtime.local.router;

import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.Pipe;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * One client request on its way through the router to an app's web process and back.
 *
 * <p>All callbacks of one exchange run on the event loop of the client's connection, so its state
 * needs no locking.
 */
final class ProxyExchange {

  private static final Logger LOG = Logger.getLogger(LocalRouter.class);

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "upgrade",
          "te",
          "trailer",
          "trailers",
          "proxy-connection");

  // Headers the router states itself; passing a client's own values on would let it spoof them.
  private static final Set<String> ROUTER_OWNED =
      Set.of(
          "host",
          "expect",
          "x-forwarded-proto",
          "x-forwarded-host",
          "x-forwarded-port",
          "x-forwarded-prefix",
          "x-request-id",
          "x-request-start");

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.TRACE);

  // Heroku's rule for accepting a client-supplied request id.
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9+=/-]{20,200}");

  private static final int MAX_ATTEMPTS = 3;

  private final Vertx vertx;
  private final HttpClient client;
  private final RouteTable routes;
  private final long timeoutMillis;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Pipe<Buffer> body;
  private final boolean hasBody;
  private final String requestId;
  private final long startNanos = System.nanoTime();

  private RequestTarget target;
  private RouteTable.Lease lease;
  private HttpClientRequest backendRequest;
  private long timer = -1;
  private int attempts;
  private boolean finished;

  ProxyExchange(
      Vertx vertx,
      HttpClient client,
      RouteTable routes,
      long timeoutMillis,
      HttpServerRequest request) {
    this.vertx = vertx;
    this.client = client;
    this.routes = routes;
    this.timeoutMillis = timeoutMillis;
    this.request = request;
    this.response = request.response();
    // Creating the pipe pauses the request, so no body byte is lost while a backend is chosen.
    this.body = request.pipe().endOnFailure(false);
    this.hasBody = hasBody(request);
    String incomingId = request.getHeader("X-Request-Id");
    this.requestId =
        incomingId != null && REQUEST_ID.matcher(incomingId).matches()
            ? incomingId
            : UUID.randomUUID().toString();
  }

  void run() {
    response.closeHandler(closed -> clientGone());
    HostAndPort authority = request.authority();
    target =
        RequestTarget.of(
            authority == null ? null : authority.host(), request.path(), request.query());
    switch (target.kind()) {
      case NO_APP ->
          fail(
              RouterError.NO_SUCH_APP,
              "Open http://<app>.localhost:<port>/ or /apps/<app>/ on this router.");
      case INVALID_APP_NAME ->
          fail(RouterError.INVALID_APP_NAME, "App names match [a-z][a-z0-9-]{0,62}.");
      case APP -> {
        timer = vertx.setTimer(timeoutMillis, fired -> timedOut());
        dispatch();
      }
    }
  }

  private void dispatch() {
    attempts++;
    lease = routes.acquire(target.app());
    if (lease == null) {
      RouteTable.Route route = routes.lookup(target.app());
      if (route instanceof RouteTable.Unavailable unavailable) {
        fail(RouterError.NO_WEB_PROCESSES, unavailable.reason());
      } else {
        fail(RouterError.NO_SUCH_APP, "app: " + target.app());
      }
      return;
    }
    URI backend = lease.backend();
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setServer(SocketAddress.inetSocketAddress(backend.getPort(), hostOf(backend)))
            .setURI(target.uri())
            .setHeaders(forwardedHeaders());
    RouteTable.Lease attemptLease = lease;
    client.request(options).onComplete(ar -> connected(attemptLease, ar));
  }

  private void connected(RouteTable.Lease attemptLease, AsyncResult<HttpClientRequest> ar) {
    if (finished) {
      if (ar.succeeded()) {
        ar.result().reset();
      }
      return;
    }
    if (ar.failed()) {
      // Nothing was sent, so trying the app's current backend is safe for every method; it
      // differs from this one when the route switched while this request waited.
      attemptLease.release();
      URI failed = attemptLease.backend();
      if (attempts < MAX_ATTEMPTS
          && !routes.backend(target.app()).map(failed::equals).orElse(true)) {
        dispatch();
      } else {
        fail(RouterError.BACKEND_CONNECTION_FAILED, describe(ar.cause()) + " at " + failed);
      }
      return;
    }
    backendRequest = ar.result();
    if (request.authority() != null) {
      // The app sees the Host its client used, as behind Heroku's router.
      backendRequest.authority(request.authority());
    }
    if (hasBody) {
      if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
        backendRequest.setChunked(true);
      }
      body.to(backendRequest).onFailure(failure -> backendRequest.reset(0, failure));
    } else {
      body.close();
      backendRequest.end();
    }
    backendRequest.response().onComplete(this::responded);
  }

  private void responded(AsyncResult<HttpClientResponse> ar) {
    if (finished) {
      if (ar.succeeded()) {
        ar.result().request().reset();
      }
      return;
    }
    if (ar.failed()) {
      // A reused keep-alive connection may have been closed by the app just as this request
      // went out; a request without body that changes nothing can be sent again.
      if (!hasBody
          && IDEMPOTENT.contains(request.method())
          && attempts < MAX_ATTEMPTS
          && isConnectionLoss(ar.cause())) {
        lease.release();
        dispatch();
      } else {
        fail(RouterError.CONNECTION_CLOSED, describe(ar.cause()) + " at " + lease.backend());
      }
      return;
    }
    HttpClientResponse backendResponse = ar.result();
    vertx.cancelTimer(timer);
    timer = -1;
    response.setStatusCode(backendResponse.statusCode());
    response.setStatusMessage(backendResponse.statusMessage());
    copyHeaders(backendResponse.headers(), response.headers());
    if (backendResponse.getHeader(HttpHeaders.CONTENT_LENGTH) == null
        && mayHaveBody(request.method(), backendResponse.statusCode())) {
      response.setChunked(true);
    }
    backendResponse
        .pipe()
        .endOnFailure(false)
        .to(response)
        .onComplete(
            piped -> {
              if (piped.failed() && !finished) {
                // The app died mid-response: cut the client off so a partial body never looks
                // complete.
                logError("H18", "Server Request Interrupted", backendResponse.statusCode());
                response.reset();
                backendRequest.reset();
              } else if (piped.succeeded()) {
                logInfo(backendResponse.statusCode());
              }
              finish();
            });
  }

  private void timedOut() {
    timer = -1;
    if (finished || response.headWritten()) {
      return;
    }
    // Fail first: resetting fails the pending response at once, which must not count as H13.
    fail(RouterError.REQUEST_TIMEOUT, "no response within " + timeoutMillis + " ms");
    if (backendRequest != null) {
      backendRequest.reset(0, new TimeoutException("request timeout"));
    }
  }

  private void clientGone() {
    if (finished) {
      return;
    }
    logError("H27", "Client Request Interrupted", 499);
    finish();
    if (backendRequest != null) {
      backendRequest.reset();
    }
  }

  private void fail(RouterError error, String detail) {
    if (finished) {
      return;
    }
    logError(error.code(), error.description(), error.status());
    if (response.headWritten()) {
      response.reset();
    } else if (!response.ended()) {
      body.close();
      StringBuilder text = new StringBuilder(error.title()).append('\n');
      if (detail != null && !detail.isBlank()) {
        text.append(detail).append('\n');
      }
      text.append("request_id: ").append(requestId).append('\n');
      response
          .setStatusCode(error.status())
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store")
          .putHeader("X-Request-Id", requestId)
          .end(text.toString());
    }
    finish();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    if (lease != null) {
      lease.release();
    }
  }

  private MultiMap forwardedHeaders() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    Set<String> listedInConnection = connectionTokens(request.headers());
    for (Map.Entry<String, String> header : request.headers()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!isHopByHop(name, listedInConnection)
          && !ROUTER_OWNED.contains(name)
          && !name.equals("x-forwarded-for")) {
        headers.add(header.getKey(), header.getValue());
      }
    }
    List<String> forwardedFor = request.headers().getAll("X-Forwarded-For");
    String clientIp =
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    String chain = String.join(", ", forwardedFor);
    if (clientIp != null) {
      chain = chain.isEmpty() ? clientIp : chain + ", " + clientIp;
    }
    if (!chain.isEmpty()) {
      headers.set("X-Forwarded-For", chain);
    }
    headers.set("X-Forwarded-Proto", "http");
    String host = request.getHeader(HttpHeaders.HOST);
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    if (host != null) {
      headers.set("X-Forwarded-Host", host);
    }
    if (request.localAddress() != null) {
      headers.set("X-Forwarded-Port", Integer.toString(request.localAddress().port()));
    }
    if (target.prefix() != null) {
      headers.set("X-Forwarded-Prefix", target.prefix());
    }
    headers.set("X-Request-Id", requestId);
    headers.set("X-Request-Start", Long.toString(System.currentTimeMillis()));
    return headers;
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    Set<String> listedInConnection = connectionTokens(from);
    for (Map.Entry<String, String> header : from) {
      if (!isHopByHop(header.getKey().toLowerCase(Locale.ROOT), listedInConnection)) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }

  private static Set<String> connectionTokens(MultiMap headers) {
    Set<String> tokens = new HashSet<>();
    for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          tokens.add(token.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return tokens;
  }

  private static boolean isHopByHop(String lowerCaseName, Set<String> listedInConnection) {
    return HOP_BY_HOP.contains(lowerCaseName)
        || lowerCaseName.startsWith("proxy-")
        || listedInConnection.contains(lowerCaseName);
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      return !length.trim().equals("0");
    }
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  private static boolean mayHaveBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  private static boolean isConnectionLoss(Throwable failure) {
    return failure instanceof HttpClosedException
        || (failure instanceof IOException && !(failure instanceof ConnectException));
  }

  private static String hostOf(URI backend) {
    String host = backend.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ConnectException) {
      return "connection refused";
    }
    if (failure instanceof HttpClosedException) {
      return "connection closed";
    }
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }

  private void logInfo(int status) {
    if (LOG.isDebugEnabled()) {
      LOG.debugf("at=info %s status=%d", requestSummary(), status);
    }
  }

  private void logError(String code, String description, int status) {
    // Clients asking for a missing app or hanging up early are routine; the rest say something
    // about the app.
    Logger.Level level =
        code == null || code.equals("H27") ? Logger.Level.DEBUG : Logger.Level.WARN;
    if (LOG.isEnabled(level)) {
      LOG.logf(
          level,
          "at=error code=%s desc=\"%s\" %s status=%d",
          code == null ? "-" : code,
          description,
          requestSummary(),
          status);
    }
  }

  private String requestSummary() {
    return String.format(
        "method=%s path=\"%s\" host=%s app=%s backend=%s request_id=%s fwd=\"%s\" service=%dms",
        request.method(),
        request.path(),
        request.authority() == null ? "-" : request.authority().host(),
        target == null || target.app() == null ? "-" : target.app(),
        lease == null ? "-" : lease.backend().getAuthority(),
        requestId,
        request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress(),
        (System.nanoTime() - startNanos) / 1_000_000);
  }
}

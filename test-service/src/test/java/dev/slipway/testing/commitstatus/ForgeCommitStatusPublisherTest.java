package dev.slipway.testing.commitstatus;

import static dev.slipway.testkit.FakeForge.held;
import static dev.slipway.testkit.FakeForge.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.testkit.FakeForge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commit statuses reach a real HTTP server shaped like GitHub's and GitLab's APIs. */
class ForgeCommitStatusPublisherTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String TOKEN = "ghp_TopSecretToken1234567890";

  /**
   * An installation whose admin lets builds fetch from a loopback http:// git server (as `slipway
   * up` on a laptop might): repository hosts, not forge hosts.
   */
  private static final UrlPolicy OUTBOUND =
      new UrlPolicy(
          new UrlPolicy.Settings(
              Set.of("github.com", "api.github.com", "gitlab.com", "127.0.0.1"),
              Set.of("127.0.0.1"),
              true,
              true));

  /** The fake forge's loopback HTTP API is a forge host here, as an admin would for a lab forge. */
  private static final UrlPolicy LAB =
      OUTBOUND.forForgeApi(Set.of("127.0.0.1"), Set.of("127.0.0.1"));

  /** The forge hosts test-service ships with (slipway.forge.hosts). */
  private static final UrlPolicy SHIPPED =
      OUTBOUND.forForgeApi(Set.of("github.com", "api.github.com", "gitlab.com"), Set.of());

  private static final RetryPolicy FAST =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofSeconds(10));

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logs.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private FakeForge forge;

  @BeforeEach
  void start() throws IOException {
    forge = new FakeForge();
    capture.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(capture);
    forge.close();
  }

  @Test
  void githubPendingThenSuccessArePostedWithTheExactPathHeadersAndBody() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    ForgeCredentials credentials = new ForgeCredentials(TOKEN, forge.baseUri());

    assertTrue(
        await(
            publisher.publish(
                github(CommitState.PENDING, "https://slipway.example/runs/7", "Tests running"),
                credentials)));
    assertTrue(
        await(
            publisher.publish(
                github(
                    CommitState.SUCCESS, "https://slipway.example/runs/7", "12 \"tests\" passed"),
                credentials)));

    List<FakeForge.Request> requests = forge.requests();
    assertEquals(2, requests.size());
    for (FakeForge.Request request : requests) {
      assertEquals("POST", request.method());
      assertEquals("/repos/acme/shop/statuses/" + SHA, request.rawPath());
      assertEquals("Bearer " + TOKEN, request.header("Authorization"));
      assertEquals("application/vnd.github+json", request.header("Accept"));
      assertEquals("2022-11-28", request.header("X-GitHub-Api-Version"));
      assertEquals("application/json", request.header("Content-Type"));
    }
    assertEquals(
        "{\"state\":\"pending\",\"target_url\":\"https://slipway.example/runs/7\","
            + "\"description\":\"Tests running\",\"context\":\"slipway/ci\"}",
        requests.get(0).body());
    assertEquals(
        "{\"state\":\"success\",\"target_url\":\"https://slipway.example/runs/7\","
            + "\"description\":\"12 \\\"tests\\\" passed\",\"context\":\"slipway/ci\"}",
        requests.get(1).body());
  }

  @Test
  void githubFailureAndErrorKeepTheirOwnStatesAndNullFieldsAreLeftOut() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    ForgeCredentials credentials = new ForgeCredentials(TOKEN, forge.baseUri());

    assertTrue(await(publisher.publish(github(CommitState.FAILURE, null, null), credentials)));
    assertTrue(await(publisher.publish(github(CommitState.ERROR, null, null), credentials)));

    assertEquals(
        "{\"state\":\"failure\",\"context\":\"slipway/ci\"}", forge.requests().get(0).body());
    assertEquals(
        "{\"state\":\"error\",\"context\":\"slipway/ci\"}", forge.requests().get(1).body());
  }

  @Test
  void githubDescriptionIsCutTo140Characters() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    String longDescription = "x".repeat(200);

    assertTrue(
        await(
            publisher.publish(
                github(CommitState.FAILURE, null, longDescription),
                new ForgeCredentials(TOKEN, forge.baseUri()))));

    assertEquals(
        "{\"state\":\"failure\",\"description\":\""
            + "x".repeat(139)
            + "\u2026\","
            + "\"context\":\"slipway/ci\"}",
        forge.requests().get(0).body());
  }

  @Test
  void gitlabProjectPathIsEncodedAndTheStatusIsSentAsFormParameters() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    CommitStatus pending =
        new CommitStatus(
            ForgeKind.GITLAB,
            "git@gitlab.example.com:platform/payments/shop.git",
            SHA,
            CommitState.PENDING,
            "https://slipway.example/runs/8?tab=log",
            "Tests running & more");

    assertTrue(await(publisher.publish(pending, new ForgeCredentials(TOKEN, forge.baseUri()))));

    FakeForge.Request request = forge.requests().get(0);
    assertEquals("POST", request.method());
    assertEquals("/api/v4/projects/platform%2Fpayments%2Fshop/statuses/" + SHA, request.rawPath());
    assertEquals(TOKEN, request.header("PRIVATE-TOKEN"));
    assertNull(request.header("Authorization"));
    assertEquals("application/x-www-form-urlencoded", request.header("Content-Type"));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("state", "pending");
    expected.put("name", "slipway/ci");
    expected.put("target_url", "https://slipway.example/runs/8?tab=log");
    expected.put("description", "Tests running & more");
    assertEquals(expected, form(request.body()));
  }

  @Test
  void gitlabSuccessAndFailureUseGitlabStateNames() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    ForgeCredentials credentials = new ForgeCredentials(TOKEN, forge.baseUri());

    assertTrue(await(publisher.publish(gitlab(CommitState.SUCCESS, "All green"), credentials)));
    assertTrue(await(publisher.publish(gitlab(CommitState.FAILURE, "2 failed"), credentials)));

    assertEquals("success", form(forge.requests().get(0).body()).get("state"));
    assertEquals("failed", form(forge.requests().get(1).body()).get("state"));
    assertEquals("2 failed", form(forge.requests().get(1).body()).get("description"));
  }

  @Test
  void gitlabErrorIsPostedAsFailedSayingThePlatformFailed() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    ForgeCredentials credentials = new ForgeCredentials(TOKEN, forge.baseUri());

    assertTrue(await(publisher.publish(gitlab(CommitState.ERROR, "test node lost"), credentials)));
    assertTrue(await(publisher.publish(gitlab(CommitState.ERROR, null), credentials)));

    Map<String, String> withDescription = form(forge.requests().get(0).body());
    assertEquals("failed", withDescription.get("state"));
    assertEquals("Platform error: test node lost", withDescription.get("description"));
    assertEquals("Platform error", form(forge.requests().get(1).body()).get("description"));
  }

  @Test
  void gitlabRefusingToRepeatTheCurrentStateCountsAsAccepted() throws Exception {
    forge.replies(
        status(
            400,
            "{\"message\":\"Cannot transition status via :enqueue from :pending (Reason(s): Status"
                + " cannot transition via \\\"enqueue\\\")\"}",
            Map.of()),
        status(
            400, "{\"message\":\"Cannot transition status via :drop from :success\"}", Map.of()));
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    ForgeCredentials credentials = new ForgeCredentials(TOKEN, forge.baseUri());

    assertTrue(await(publisher.publish(gitlab(CommitState.PENDING, null), credentials)));
    assertFalse(await(publisher.publish(gitlab(CommitState.FAILURE, null), credentials)));
    assertEquals(2, forge.requests().size());
  }

  @Test
  void serverErrorsAreRetriedUntilTheForgeAccepts() throws Exception {
    forge.replies(status(500), status(500), status(201));
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.SUCCESS, null, "ok"),
                new ForgeCredentials(TOKEN, forge.baseUri())));

    assertTrue(accepted);
    assertEquals(3, forge.requests().size());
    assertEquals(forge.requests().get(0).body(), forge.requests().get(2).body());
  }

  @Test
  void serverErrorsBeyondMaxAttemptsGiveUp() throws Exception {
    forge.replies(status(502), status(503), status(504), status(201));
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.SUCCESS, null, null),
                new ForgeCredentials(TOKEN, forge.baseUri())));

    assertFalse(accepted);
    assertEquals(3, forge.requests().size());
  }

  @Test
  void notFoundGivesUpAfterOneRequest() throws Exception {
    forge.replies(status(404, "{\"message\":\"Not Found\"}", Map.of()));
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.SUCCESS, null, null),
                new ForgeCredentials(TOKEN, forge.baseUri())));

    assertFalse(accepted);
    assertEquals(1, forge.requests().size());
  }

  @Test
  void unreachableForgeGivesUpAfterMaxAttemptsWithoutThrowing() throws Exception {
    URI closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.PENDING, null, null), new ForgeCredentials(TOKEN, closedPort)));

    assertFalse(accepted);
    assertEquals(FAST.maxAttempts() - 1, publisherLines("retrying").size());
    assertEquals(1, publisherLines("not published").size());
  }

  @Test
  void requestsSlowerThanTheTimeoutAreRetried() throws Exception {
    forge.replies(held(), status(201));
    RetryPolicy shortTimeout =
        new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMillis(300));
    ForgeCommitStatusPublisher publisher =
        new ForgeCommitStatusPublisher(client, shortTimeout, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.PENDING, null, null),
                new ForgeCredentials(TOKEN, forge.baseUri())));

    assertTrue(accepted);
    assertEquals(2, forge.requests().size());
    assertTrue(publisherLines("HttpTimeoutException").size() >= 1);
  }

  @Test
  void tooManyRequestsWaitsForAShortRetryAfter() throws Exception {
    forge.replies(status(429, "{}", Map.of("Retry-After", "0")), status(201));
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.SUCCESS, null, null),
                new ForgeCredentials(TOKEN, forge.baseUri())));

    assertTrue(accepted);
    assertEquals(2, forge.requests().size());
  }

  @Test
  void retryAfterLongerThanTheMaximumBackoffGivesUpAtOnce() throws Exception {
    forge.replies(status(429, "{}", Map.of("Retry-After", "3600")));
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.SUCCESS, null, null),
                new ForgeCredentials(TOKEN, forge.baseUri())));

    assertFalse(accepted);
    assertEquals(1, forge.requests().size());
  }

  @Test
  void githubRateLimitForbiddenIsRetriedButOtherForbiddenIsNot() throws Exception {
    forge.replies(
        status(
            403, "{\"message\":\"API rate limit exceeded\"}", Map.of("x-ratelimit-remaining", "0")),
        status(201),
        status(403, "{\"message\":\"Resource not accessible by integration\"}", Map.of()));
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    ForgeCredentials credentials = new ForgeCredentials(TOKEN, forge.baseUri());

    assertTrue(await(publisher.publish(github(CommitState.SUCCESS, null, null), credentials)));
    assertFalse(await(publisher.publish(github(CommitState.SUCCESS, null, null), credentials)));
    assertEquals(3, forge.requests().size());
  }

  @Test
  void tokenNeverAppearsInLogsEvenWhenTheForgeEchoesIt() throws Exception {
    FakeForge.Reply echo =
        (exchange, request, self) ->
            status(
                    500,
                    "{\"message\":\"boom for " + request.header("Authorization") + "\"}",
                    Map.of())
                .send(exchange, request, self);
    forge.replies(echo, echo, echo);
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    boolean accepted =
        await(
            publisher.publish(
                github(CommitState.FAILURE, null, null),
                new ForgeCredentials(TOKEN, forge.baseUri())));

    assertFalse(accepted);
    List<String> lines = publisherLines("");
    assertEquals(FAST.maxAttempts(), lines.size());
    assertTrue(lines.get(0).contains("boom for Bearer ***"), lines.get(0));
    for (String line : allLogText()) {
      assertFalse(line.contains(TOKEN), line);
    }
  }

  @Test
  void unparseableRepositoryUrlGivesUpWithoutARequestOrLeakingCredentials() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    CommitStatus status =
        new CommitStatus(
            ForgeKind.GITHUB,
            "https://x-access-token:" + TOKEN + "@github.com/acme",
            SHA,
            CommitState.SUCCESS,
            null,
            null);

    boolean accepted = await(publisher.publish(status, ForgeCredentials.of(TOKEN)));

    assertFalse(accepted);
    assertEquals(0, forge.requests().size());
    assertEquals(1, publisherLines("unparseable repository URL").size());
    for (String line : allLogText()) {
      assertFalse(line.contains(TOKEN), line);
    }
  }

  @Test
  void nestedGitlabPathOnGithubAndABadShaAreRefusedWithoutARequest() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);
    ForgeCredentials credentials = new ForgeCredentials(TOKEN, forge.baseUri());
    CommitStatus nested =
        new CommitStatus(
            ForgeKind.GITHUB, "https://github.com/a/b/c", SHA, CommitState.SUCCESS, null, null);
    CommitStatus badSha =
        new CommitStatus(
            ForgeKind.GITHUB,
            "https://github.com/acme/shop",
            "../../admin",
            CommitState.SUCCESS,
            null,
            null);

    assertFalse(await(publisher.publish(nested, credentials)));
    assertFalse(await(publisher.publish(badSha, credentials)));
    assertEquals(0, forge.requests().size());
  }

  @Test
  void publishReturnsBeforeTheForgeAnswers() throws Exception {
    forge.replies(held());
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, LAB);

    CompletionStage<Boolean> stage =
        publisher.publish(
            github(CommitState.PENDING, null, null), new ForgeCredentials(TOKEN, forge.baseUri()));

    assertFalse(stage.toCompletableFuture().isDone());
    forge.release();
    assertTrue(await(stage));
  }

  @Test
  void anAdminSetHttpRepositoryUrlOnAnInternalHostNeverReceivesTheForgeToken() throws Exception {
    // Issue #13: a developer pointed the repository at their own http:// server and the next
    // commit status carried the forge token there. Now only an admin may change the repository
    // URL, and even when the admin allows fetching from an internal http:// host, the token goes
    // only to the forge hosts.
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, SHIPPED);
    assertEquals(
        Optional.empty(), OUTBOUND.refusal(forge.baseUri() + "/acme/shop.git"), "fetch allowed");
    for (ForgeKind kind : ForgeKind.values()) {
      for (String repository :
          List.of(
              forge.baseUri() + "/acme/shop.git",
              "https://127.0.0.1:" + forge.baseUri().getPort() + "/acme/shop.git",
              "https://forge.evil.example/acme/shop.git")) {
        CommitStatus status =
            new CommitStatus(kind, repository, SHA, CommitState.PENDING, null, "running");
        assertFalse(await(publisher.publish(status, ForgeCredentials.of(TOKEN))), repository);
      }
    }
    assertEquals(List.of(), forge.requests(), "the loopback server must receive nothing");
    assertTrue(logs.stream().noneMatch(r -> String.valueOf(r.getMessage()).contains(TOKEN)));
  }

  @Test
  void aConfiguredApiBaseOutsideTheForgeHostsReceivesNothing() throws Exception {
    ForgeCommitStatusPublisher publisher = new ForgeCommitStatusPublisher(client, FAST, SHIPPED);
    assertFalse(
        await(
            publisher.publish(
                github(CommitState.PENDING, null, null),
                new ForgeCredentials(TOKEN, forge.baseUri()))));
    assertEquals(List.of(), forge.requests());
  }

  @Test
  void anAllowListedNameResolvingToLoopbackIsRefusedBeforeConnecting() throws Exception {
    UrlPolicy forgeHost =
        new UrlPolicy(UrlPolicy.Settings.defaults())
            .forForgeApi(Set.of("forge.test"), Set.of("forge.test"));
    ForgeCommitStatusPublisher publisher =
        new ForgeCommitStatusPublisher(
            client, FAST, forgeHost, host -> List.of(InetAddress.getLoopbackAddress()));
    URI rebound = URI.create("http://forge.test:" + forge.baseUri().getPort());
    assertFalse(
        await(
            publisher.publish(
                github(CommitState.PENDING, null, null), new ForgeCredentials(TOKEN, rebound))));
    assertEquals(List.of(), forge.requests());
  }

  @Test
  void credentialsNeverShowTheirToken() {
    ForgeCredentials credentials =
        new ForgeCredentials(TOKEN, URI.create("https://gitlab.example.com"));

    assertFalse(credentials.toString().contains(TOKEN));
    assertTrue(credentials.toString().contains("https://gitlab.example.com"));
  }

  private static CommitStatus github(CommitState state, String targetUrl, String description) {
    return new CommitStatus(
        ForgeKind.GITHUB, "https://github.com/acme/shop.git", SHA, state, targetUrl, description);
  }

  private static CommitStatus gitlab(CommitState state, String description) {
    return new CommitStatus(
        ForgeKind.GITLAB, "https://gitlab.com/acme/shop", SHA, state, null, description);
  }

  private static boolean await(CompletionStage<Boolean> stage) throws Exception {
    CompletableFuture<Boolean> future = stage.toCompletableFuture();
    // A hang guard, not a timing assertion: the publisher must finish on its own.
    return future.get(60, TimeUnit.SECONDS);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      fields.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }

  /** The publisher's log lines containing the fragment, message and parameters together. */
  private List<String> publisherLines(String fragment) {
    List<String> lines = new ArrayList<>();
    for (LogRecord record : logs) {
      if (ForgeCommitStatusPublisher.class.getName().equals(record.getLoggerName())) {
        String text = text(record);
        if (text.contains(fragment)) {
          lines.add(text);
        }
      }
    }
    return lines;
  }

  private List<String> allLogText() {
    List<String> lines = new ArrayList<>();
    for (LogRecord record : logs) {
      lines.add(text(record));
    }
    return lines;
  }

  private static String text(LogRecord record) {
    StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
    if (record.getParameters() != null) {
      for (Object parameter : record.getParameters()) {
        text.append(" | ").append(parameter);
      }
    }
    for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
      text.append(" | ").append(thrown);
    }
    return text.toString();
  }
}

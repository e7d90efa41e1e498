package dev.slipway.testing.commitstatus;

import dev.slipway.platform.forge.ForgeApis;
import dev.slipway.platform.git.RepositoryUrl;
import dev.slipway.platform.outbound.UrlPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Publishes commit statuses through the GitHub and GitLab REST APIs with the JDK's asynchronous
 * HTTP client, retrying transient failures with exponential backoff.
 *
 * <p>Server errors, 408, 429 (and GitHub's rate-limit 403), timeouts and I/O errors are retried; a
 * {@code Retry-After} longer than the policy's maximum backoff gives up instead of hammering a
 * forge that asked for patience. Any other 4xx gives up at once, except GitLab's refusal to move a
 * status into the state it already has, which counts as accepted. The token is sent only in a
 * header, is masked in every log line, and goes only to an API the forge-host {@link UrlPolicy}
 * allows ({@link UrlPolicy#forForgeApi}): HTTPS (HTTP only for hosts allowed so) to a forge host
 * that resolves to no loopback, link-local or private address, whatever the repository URL says.
 */
public final class ForgeCommitStatusPublisher implements CommitStatusPublisher {

  private static final Logger LOG = Logger.getLogger(ForgeCommitStatusPublisher.class);

  static final int GITHUB_DESCRIPTION_LIMIT = 140;
  static final int GITLAB_DESCRIPTION_LIMIT = 255;
  static final String PLATFORM_ERROR_PREFIX = "Platform error";

  private static final Pattern COMMIT_SHA = Pattern.compile("[0-9a-fA-F]{7,64}");
  private static final int LOGGED_BODY_LIMIT = 200;
  private static final String USER_AGENT = "slipway-test-service";

  private final HttpClient client;
  private final RetryPolicy retry;
  private final UrlPolicy urlPolicy;
  private final UrlPolicy.Resolver resolver;

  public ForgeCommitStatusPublisher(HttpClient client, RetryPolicy retry, UrlPolicy urlPolicy) {
    this(client, retry, urlPolicy, UrlPolicy.Resolver.SYSTEM);
  }

  ForgeCommitStatusPublisher(
      HttpClient client, RetryPolicy retry, UrlPolicy urlPolicy, UrlPolicy.Resolver resolver) {
    this.client = Objects.requireNonNull(client, "client");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Override
  public CompletionStage<Boolean> publish(CommitStatus status, ForgeCredentials credentials) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    try {
      Optional<Delivery> delivery = delivery(status, credentials);
      if (delivery.isEmpty()) {
        result.complete(false);
        return result.minimalCompletionStage();
      }
      // Starting even the first request can block on DNS or TLS setup: keep it off the caller.
      CompletableFuture.runAsync(() -> firstAttempt(delivery.get(), result))
          .exceptionally(e -> giveUp(delivery.get(), result, "could not start: " + e));
    } catch (RuntimeException e) {
      LOG.warnf(
          "Commit status not published: %s",
          redact(e.getClass().getSimpleName() + ": " + e.getMessage(), credentials));
      result.complete(false);
    }
    // Callers may observe the outcome but never complete or cancel it for the retries.
    return result.minimalCompletionStage();
  }

  /** Everything one status needs on the wire, checked once before the first attempt. */
  private record Delivery(
      CommitStatus status, ForgeCredentials credentials, String display, HttpRequest request) {

    String describe() {
      return status.state() + " on " + display + "@" + shortSha(status.commitSha());
    }
  }

  private Optional<Delivery> delivery(CommitStatus status, ForgeCredentials credentials) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(credentials, "credentials");
    Optional<RepositoryUrl> coordinates =
        RepositoryUrl.parse(status.repositoryUrl()).filter(RepositoryUrl::namesForgeRepository);
    if (coordinates.isEmpty()) {
      LOG.warnf(
          "Commit status not published: unparseable repository URL '%s'",
          redact(withoutUserInfo(status.repositoryUrl()), credentials));
      return Optional.empty();
    }
    String display = coordinates.get().display();
    if (!COMMIT_SHA.matcher(status.commitSha()).matches()) {
      LOG.warnf(
          "Commit status not published for %s: '%s' is not a commit SHA",
          display, redact(status.commitSha(), credentials));
      return Optional.empty();
    }
    if (!ForgeApis.isValidHeaderValue(credentials.token())) {
      LOG.warnf(
          "Commit status not published for %s: the token is not a valid header value", display);
      return Optional.empty();
    }
    Optional<URI> uri =
        StatusEndpoints.statusUri(
            coordinates.get(), status.forge(), credentials.apiBaseUrl(), status.commitSha());
    if (uri.isEmpty()) {
      LOG.warnf(
          "Commit status not published: %s is not a %s repository path", display, status.forge());
      return Optional.empty();
    }
    Optional<String> refused = urlPolicy.apiRefusal(uri.get());
    if (refused.isPresent()) {
      LOG.warnf(
          "Commit status not published for %s: the forge token is not sent there (%s)",
          display, refused.get());
      return Optional.empty();
    }
    HttpRequest request =
        status.forge() == ForgeKind.GITHUB
            ? githubRequest(uri.get(), status, credentials)
            : gitlabRequest(uri.get(), status, credentials);
    return Optional.of(new Delivery(status, credentials, display, request));
  }

  private HttpRequest githubRequest(URI uri, CommitStatus status, ForgeCredentials credentials) {
    StringBuilder body = new StringBuilder("{");
    body.append("\"state\":").append(json(githubState(status.state())));
    if (status.targetUrl() != null) {
      body.append(",\"target_url\":").append(json(status.targetUrl()));
    }
    if (status.description() != null) {
      body.append(",\"description\":")
          .append(json(truncate(status.description(), GITHUB_DESCRIPTION_LIMIT)));
    }
    body.append(",\"context\":").append(json(CommitStatus.CONTEXT)).append('}');
    return HttpRequest.newBuilder(uri)
        .timeout(retry.requestTimeout())
        .header("Authorization", "Bearer " + credentials.token())
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .header("Content-Type", "application/json")
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
  }

  private HttpRequest gitlabRequest(URI uri, CommitStatus status, ForgeCredentials credentials) {
    StringBuilder form = new StringBuilder();
    form.append("state=").append(formValue(gitlabState(status.state())));
    form.append("&name=").append(formValue(CommitStatus.CONTEXT));
    if (status.targetUrl() != null) {
      form.append("&target_url=").append(formValue(status.targetUrl()));
    }
    String description = gitlabDescription(status);
    if (description != null) {
      form.append("&description=")
          .append(formValue(truncate(description, GITLAB_DESCRIPTION_LIMIT)));
    }
    return HttpRequest.newBuilder(uri)
        .timeout(retry.requestTimeout())
        .header("PRIVATE-TOKEN", credentials.token())
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8))
        .build();
  }

  static String githubState(CommitState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  /** GitLab has no "error": a platform failure shows as failed and says so. */
  static String gitlabState(CommitState state) {
    return switch (state) {
      case PENDING -> "pending";
      case SUCCESS -> "success";
      case FAILURE, ERROR -> "failed";
    };
  }

  private static String gitlabDescription(CommitStatus status) {
    if (status.state() != CommitState.ERROR) {
      return status.description();
    }
    if (status.description() == null || status.description().isBlank()) {
      return PLATFORM_ERROR_PREFIX;
    }
    return PLATFORM_ERROR_PREFIX + ": " + status.description();
  }

  /** Resolves the API host and checks every address before the token leaves. */
  private void firstAttempt(Delivery delivery, CompletableFuture<Boolean> result) {
    Optional<String> refused =
        urlPolicy.apiRefusalBeforeConnect(delivery.request().uri(), resolver);
    if (refused.isPresent()) {
      giveUp(delivery, result, "the forge token is not sent there (" + refused.get() + ")");
      return;
    }
    attempt(delivery, 1, result);
  }

  private void attempt(Delivery delivery, int attempt, CompletableFuture<Boolean> result) {
    CompletableFuture<HttpResponse<String>> response;
    try {
      response = client.sendAsync(delivery.request(), HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      giveUp(delivery, result, "request refused by the HTTP client: " + e);
      return;
    }
    response.whenComplete(
        (answer, failure) -> {
          try {
            Verdict verdict = failure == null ? judge(delivery, answer) : judge(unwrap(failure));
            conclude(delivery, attempt, result, verdict);
          } catch (RuntimeException e) {
            giveUp(delivery, result, "unexpected " + e);
          }
        });
  }

  /** What one attempt means for the delivery. */
  private record Verdict(Kind kind, String reason, Duration retryAfter) {
    /** Whether the status is done, worth another try, or lost. */
    enum Kind {
      ACCEPTED,
      RETRY,
      GIVE_UP
    }

    static Verdict accepted(String reason) {
      return new Verdict(Kind.ACCEPTED, reason, null);
    }

    static Verdict retry(String reason, Duration retryAfter) {
      return new Verdict(Kind.RETRY, reason, retryAfter);
    }

    static Verdict giveUp(String reason) {
      return new Verdict(Kind.GIVE_UP, reason, null);
    }
  }

  private Verdict judge(Delivery delivery, HttpResponse<String> response) {
    int code = response.statusCode();
    String reason = "HTTP " + code + bodySnippet(response.body());
    if (code >= 200 && code < 300) {
      return Verdict.accepted(reason);
    }
    Optional<Duration> retryAfter = retryAfter(response);
    if (code >= 500 || code == 408 || code == 429 || isGithubRateLimit(delivery, response)) {
      return Verdict.retry(reason, retryAfter.orElse(null));
    }
    if (isGitlabAlreadyInState(delivery, code, response.body())) {
      return Verdict.accepted("already " + gitlabState(delivery.status().state()));
    }
    return Verdict.giveUp(reason);
  }

  private static Verdict judge(Throwable failure) {
    String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (failure instanceof IOException) {
      return Verdict.retry(reason, null);
    }
    return Verdict.giveUp(reason);
  }

  private void conclude(
      Delivery delivery, int attempt, CompletableFuture<Boolean> result, Verdict verdict) {
    switch (verdict.kind()) {
      case ACCEPTED -> {
        LOG.debugf(
            "Commit status %s accepted (%s)",
            delivery.describe(), redact(verdict.reason(), delivery.credentials()));
        result.complete(true);
      }
      case GIVE_UP -> giveUp(delivery, result, verdict.reason());
      case RETRY -> retryLater(delivery, attempt, result, verdict);
    }
  }

  private void retryLater(
      Delivery delivery, int attempt, CompletableFuture<Boolean> result, Verdict verdict) {
    if (attempt >= retry.maxAttempts()) {
      giveUp(delivery, result, verdict.reason() + " after " + attempt + " attempts");
      return;
    }
    Duration wait = retry.backoffAfter(attempt);
    if (verdict.retryAfter() != null) {
      if (verdict.retryAfter().compareTo(retry.maxBackoff()) > 0) {
        giveUp(
            delivery,
            result,
            verdict.reason() + " and the forge asked to wait " + verdict.retryAfter());
        return;
      }
      wait = verdict.retryAfter();
    }
    LOG.warnf(
        "Commit status %s: attempt %d of %d failed (%s); retrying in %d ms",
        delivery.describe(),
        attempt,
        retry.maxAttempts(),
        redact(verdict.reason(), delivery.credentials()),
        wait.toMillis());
    CompletableFuture.runAsync(
        () -> attempt(delivery, attempt + 1, result),
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
  }

  private static Void giveUp(Delivery delivery, CompletableFuture<Boolean> result, String reason) {
    LOG.warnf(
        "Commit status %s not published: %s",
        delivery.describe(), redact(reason, delivery.credentials()));
    result.complete(false);
    return null;
  }

  /** GitHub answers an exhausted rate limit with 403 rather than 429. */
  private static boolean isGithubRateLimit(Delivery delivery, HttpResponse<String> response) {
    return delivery.status().forge() == ForgeKind.GITHUB
        && response.statusCode() == 403
        && (response.headers().firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent()
            || response.headers().firstValue("retry-after").isPresent());
  }

  /**
   * GitLab refuses a transition into the state a status already has ("Cannot transition status via
   * :enqueue from :pending"); a redelivered event must not count that as a failure.
   */
  private static boolean isGitlabAlreadyInState(Delivery delivery, int code, String body) {
    if (delivery.status().forge() != ForgeKind.GITLAB || code != 400 || body == null) {
      return false;
    }
    return body.contains("Cannot transition status")
        && body.contains("from :" + gitlabState(delivery.status().state()));
  }

  private static Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("retry-after");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    try {
      long seconds = Long.parseLong(value);
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(Instant.now(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String bodySnippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.replaceAll("\\s+", " ").strip();
    return ": " + truncate(oneLine, LOGGED_BODY_LIMIT);
  }

  /** Masks the token wherever it appears, so nothing the forge echoes back can leak it. */
  static String redact(String text, ForgeCredentials credentials) {
    return ForgeApis.redact(text, credentials == null ? null : credentials.token());
  }

  private static String withoutUserInfo(String url) {
    return url.replaceAll("(?<=://)[^/@]*@", "");
  }

  private static String shortSha(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  /** Cuts at a code point boundary and marks the cut with an ellipsis. */
  static String truncate(String text, int limit) {
    return ForgeApis.truncate(text, limit);
  }

  private static String formValue(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String json(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

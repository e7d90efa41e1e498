package dev.slipway.build.webhook;

import static dev.slipway.build.webhook.PayloadReader.at;
import static dev.slipway.build.webhook.PayloadReader.flag;
import static dev.slipway.build.webhook.PayloadReader.optionalText;
import static dev.slipway.build.webhook.PayloadReader.positiveInt;
import static dev.slipway.build.webhook.PayloadReader.sha;
import static dev.slipway.build.webhook.PayloadReader.text;
import static dev.slipway.build.webhook.PayloadReader.urls;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/** Reads GitHub's {@code push}, {@code pull_request} and {@code ping} deliveries. */
public final class GitHubPayloads {

  private GitHubPayloads() {}

  /** Parses a delivery whose {@code X-GitHub-Event} header is {@code event}. */
  public static ForgeEvent parse(String event, byte[] body) {
    JsonNode root = PayloadReader.parse(body);
    Set<String> repos =
        urls(
            root,
            "repository.html_url",
            "repository.clone_url",
            "repository.ssh_url",
            "repository.url");
    return switch (event) {
      case "ping" -> new ForgeEvent.Ping(repos);
      case "push" -> push(root, requireRepo(repos));
      case "pull_request" -> pullRequest(root, requireRepo(repos));
      default -> new ForgeEvent.Unsupported(repos, event);
    };
  }

  private static Set<String> requireRepo(Set<String> repos) {
    if (repos.isEmpty()) {
      throw new WebhookPayloadException("repository.clone_url", "is missing");
    }
    return repos;
  }

  private static ForgeEvent.Push push(JsonNode root, Set<String> repos) {
    String pusher = optionalText(root, "pusher.name");
    return new ForgeEvent.Push(
        repos,
        text(root, "ref"),
        sha(root, "before"),
        sha(root, "after"),
        pusher != null
            ? pusher
            : Objects.requireNonNullElse(optionalText(root, "sender.login"), ""),
        flag(root, "deleted"));
  }

  private static ForgeEvent.PullRequest pullRequest(JsonNode root, Set<String> repos) {
    String action = text(root, "action");
    boolean merged = flag(root, "pull_request.merged");
    PullRequestAction kind =
        switch (action) {
          case "opened" -> PullRequestAction.OPENED;
          case "reopened" -> PullRequestAction.REOPENED;
          case "synchronize" -> PullRequestAction.SYNCHRONIZED;
          case "closed" -> merged ? PullRequestAction.MERGED : PullRequestAction.CLOSED;
          default -> PullRequestAction.EDITED;
        };
    String baseRepo = text(root, "pull_request.base.repo.full_name");
    // A deleted fork has no head repo left; it was a fork all the same.
    String headRepo = optionalText(root, "pull_request.head.repo.full_name");
    String headClone = optionalText(root, "pull_request.head.repo.clone_url");
    String author = optionalText(root, "pull_request.user.login");
    return new ForgeEvent.PullRequest(
        repos,
        kind,
        at(root, "number") != null
            ? positiveInt(root, "number")
            : positiveInt(root, "pull_request.number"),
        Objects.requireNonNullElse(optionalText(root, "pull_request.title"), ""),
        text(root, "pull_request.html_url"),
        text(root, "pull_request.head.ref"),
        sha(root, "pull_request.head.sha"),
        headClone,
        text(root, "pull_request.base.ref"),
        author != null ? author : "",
        headRepo == null || !headRepo.equalsIgnoreCase(baseRepo));
  }
}

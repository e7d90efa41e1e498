package dev.slipway.build.webhook;

import static dev.slipway.build.webhook.PayloadReader.at;
import static dev.slipway.build.webhook.PayloadReader.optionalText;
import static dev.slipway.build.webhook.PayloadReader.positiveInt;
import static dev.slipway.build.webhook.PayloadReader.sha;
import static dev.slipway.build.webhook.PayloadReader.text;
import static dev.slipway.build.webhook.PayloadReader.urls;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/** Reads GitLab's {@code Push Hook} and {@code Merge Request Hook} deliveries. */
public final class GitLabPayloads {

  private static final String ZEROS = "0000000000000000000000000000000000000000";

  private GitLabPayloads() {}

  /** Parses a delivery whose {@code X-Gitlab-Event} header is {@code event}. */
  public static ForgeEvent parse(String event, byte[] body) {
    JsonNode root = PayloadReader.parse(body);
    Set<String> repos =
        urls(root, "project.web_url", "project.git_http_url", "project.git_ssh_url");
    return switch (event) {
      case "Push Hook" -> push(root, requireRepo(repos));
      case "Merge Request Hook" -> mergeRequest(root, requireRepo(repos));
      default -> new ForgeEvent.Unsupported(repos, event);
    };
  }

  private static Set<String> requireRepo(Set<String> repos) {
    if (repos.isEmpty()) {
      throw new WebhookPayloadException("project.git_http_url", "is missing");
    }
    return repos;
  }

  private static ForgeEvent.Push push(JsonNode root, Set<String> repos) {
    String after = sha(root, "after");
    String pusher = optionalText(root, "user_username");
    return new ForgeEvent.Push(
        repos,
        text(root, "ref"),
        sha(root, "before"),
        after,
        pusher != null ? pusher : Objects.requireNonNullElse(optionalText(root, "user_name"), ""),
        ZEROS.equals(after));
  }

  private static ForgeEvent.PullRequest mergeRequest(JsonNode root, Set<String> repos) {
    String action = Objects.requireNonNullElse(optionalText(root, "object_attributes.action"), "");
    // "update" without oldrev changed the title or labels, not the code.
    boolean newCommits = at(root, "object_attributes.oldrev") != null;
    PullRequestAction kind =
        switch (action) {
          case "open" -> PullRequestAction.OPENED;
          case "reopen" -> PullRequestAction.REOPENED;
          case "update" -> newCommits ? PullRequestAction.SYNCHRONIZED : PullRequestAction.EDITED;
          case "merge" -> PullRequestAction.MERGED;
          case "close" -> PullRequestAction.CLOSED;
          default -> PullRequestAction.EDITED;
        };
    String source = text(root, "object_attributes.source_project_id");
    String target = text(root, "object_attributes.target_project_id");
    String author = optionalText(root, "user.username");
    return new ForgeEvent.PullRequest(
        repos,
        kind,
        positiveInt(root, "object_attributes.iid"),
        Objects.requireNonNullElse(optionalText(root, "object_attributes.title"), ""),
        text(root, "object_attributes.url"),
        text(root, "object_attributes.source_branch"),
        sha(root, "object_attributes.last_commit.id"),
        optionalText(root, "object_attributes.source.git_http_url"),
        text(root, "object_attributes.target_branch"),
        author != null ? author : "",
        !source.equals(target));
  }
}

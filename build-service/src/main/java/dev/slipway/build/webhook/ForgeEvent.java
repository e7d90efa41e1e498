package dev.slipway.build.webhook;

import java.util.Set;

/** What a verified webhook delivery says happened, independent of the forge that sent it. */
public sealed interface ForgeEvent {

  /** The repository URLs (web, https clone, ssh) the delivery names, to match the pipeline's. */
  Set<String> repositoryUrls();

  /** The forge checks the hook works (GitHub {@code ping}). */
  record Ping(Set<String> repositoryUrls) implements ForgeEvent {}

  /** A push of a branch or a tag; {@code deleted} when the ref was removed. */
  record Push(
      Set<String> repositoryUrls,
      String ref,
      String beforeSha,
      String afterSha,
      String pusher,
      boolean deleted)
      implements ForgeEvent {

    /** The branch name, or null when the ref is not a branch (a tag). */
    public String branch() {
      return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : null;
    }

    /** Whether a tag was pushed or deleted. */
    public boolean isTag() {
      return ref.startsWith("refs/tags/");
    }
  }

  /** A pull (merge) request changed. */
  record PullRequest(
      Set<String> repositoryUrls,
      PullRequestAction action,
      int number,
      String title,
      String url,
      String headBranch,
      String headSha,
      String headCloneUrl,
      String baseBranch,
      String author,
      boolean fork)
      implements ForgeEvent {}

  /** A delivery of a kind Slipway does not act on (issues, comments, …). */
  record Unsupported(Set<String> repositoryUrls, String kind) implements ForgeEvent {}
}

package dev.slipway.build.webhook;

/** What happened to a pull request, in both GitHub's and GitLab's words. */
public enum PullRequestAction {
  OPENED,
  REOPENED,
  /** New commits were pushed to its head branch. */
  SYNCHRONIZED,
  MERGED,
  /** Closed without merging. */
  CLOSED,
  /** Title, labels, reviewers …: nothing to build. */
  EDITED;

  /** Whether the action brings a commit that must be built. */
  public boolean buildsHead() {
    return this == OPENED || this == REOPENED || this == SYNCHRONIZED;
  }
}

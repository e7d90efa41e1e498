package dev.slipway.testing.commitstatus;

import java.util.Objects;

/**
 * A commit status to publish under the context {@value #CONTEXT}; {@code targetUrl} and {@code
 * description} may be null.
 */
public record CommitStatus(
    ForgeKind forge,
    String repositoryUrl,
    String commitSha,
    CommitState state,
    String targetUrl,
    String description) {

  /** The status context (GitHub) or name (GitLab) every Slipway test run reports under. */
  public static final String CONTEXT = "slipway/ci";

  public CommitStatus {
    Objects.requireNonNull(forge, "forge");
    Objects.requireNonNull(repositoryUrl, "repositoryUrl");
    Objects.requireNonNull(commitSha, "commitSha");
    Objects.requireNonNull(state, "state");
  }
}

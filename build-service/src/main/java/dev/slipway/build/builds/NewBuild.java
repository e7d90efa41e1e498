package dev.slipway.build.builds;

import java.util.UUID;

/** A build to queue: which commit of which repository, for which branch or pull request. */
public record NewBuild(
    UUID pipelineId,
    String repositoryUrl,
    String commitSha,
    String branch,
    Integer prNumber,
    boolean fork,
    BuildTrigger trigger,
    String requestedBy) {}

package dev.slipway.deploy.forge;

import dev.slipway.events.pipeline.Forge;
import java.util.Objects;

/**
 * One deployment to report on a forge: {@code environment} (the app name) of {@code tier} now runs
 * commit {@code sha} of {@code ref} (or failed to, or is gone), reachable at {@code environmentUrl}
 * (null when the app serves no web process).
 */
public record ForgeDeployment(
    Forge forge,
    String repositoryUrl,
    String environment,
    EnvironmentTier tier,
    String ref,
    String sha,
    DeploymentState state,
    String environmentUrl,
    String description) {

  public ForgeDeployment {
    Objects.requireNonNull(forge, "forge");
    Objects.requireNonNull(repositoryUrl, "repositoryUrl");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(state, "state");
    if (state != DeploymentState.INACTIVE) {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(sha, "sha");
    }
  }
}

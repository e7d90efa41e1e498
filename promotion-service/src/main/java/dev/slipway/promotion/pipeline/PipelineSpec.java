package dev.slipway.promotion.pipeline;

import java.util.List;
import java.util.Map;

/** Everything a pipeline is, as validated input: what create and update store. */
public record PipelineSpec(
    String name,
    String repositoryUrl,
    String forge,
    String branch,
    String webhookSecret,
    String forgeToken,
    List<Coupling> couplings,
    AutoDeployPolicy autoDeploy,
    ReviewAppPolicy reviewApps,
    Map<String, String> testConfigVars,
    Map<String, String> reviewConfigVars,
    PromotionPolicy promotionPolicy) {

  public PipelineSpec {
    couplings = List.copyOf(couplings);
    testConfigVars = Map.copyOf(testConfigVars);
    reviewConfigVars = Map.copyOf(reviewConfigVars);
  }

  /** An app in one stage of this pipeline (Heroku's coupling). */
  public record Coupling(String stage, String appName) {}

  /** Whether a green build of {@code branch} goes to staging by itself, and after CI or not. */
  public record AutoDeployPolicy(boolean enabled, String branch, boolean waitForCi) {}

  /** Review apps per pull request; destroyed when closed or after {@code staleDays} idle. */
  public record ReviewAppPolicy(
      boolean enabled, boolean waitForCi, int staleDays, String baseName) {}

  /** What a promotion out of this pipeline's stages needs before it ships. */
  public record PromotionPolicy(
      int requiredApprovals, boolean selfApproval, boolean requirePassingTests) {}
}

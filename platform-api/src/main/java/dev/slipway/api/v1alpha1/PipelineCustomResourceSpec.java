package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * The desired pipeline: the body of {@code POST /pipelines} in camelCase, with secrets taken from
 * Secrets in the resource's namespace instead of given inline.
 */
public record PipelineCustomResourceSpec(
    @JsonPropertyDescription(
            "Pipeline name, 3 to 30 lowercase letters, digits or dashes; defaults to metadata.name")
        String name,
    @Required
        @PrinterColumn(name = "Repository")
        @JsonPropertyDescription(
            "https, http, ssh or file URL, or an absolute path; never credentials in the URL")
        String repositoryUrl,
    @JsonPropertyDescription("github, gitlab or generic; guessed from the URL when absent")
        String forge,
    @PrinterColumn(name = "Branch")
        @JsonPropertyDescription("Branch the pipeline follows; defaults to main")
        String branch,
    @JsonPropertyDescription("Secret key holding the webhook secret (16 to 256 characters)")
        SecretKeyRef webhookSecretRef,
    @JsonPropertyDescription("Secret key holding the forge API token") SecretKeyRef forgeTokenRef,
    @JsonPropertyDescription("Apps coupled to the stages; an app belongs to one pipeline")
        List<Coupling> couplings,
    AutoDeploy autoDeploy,
    ReviewApps reviewApps,
    ConfigVars configVars,
    PromotionPolicy promotionPolicy) {

  /** A key of a Secret in the Pipeline's own namespace. */
  public record SecretKeyRef(@Required String name, @Required String key) {}

  /** An app in one stage: review, staging or production. */
  public record Coupling(@Required String stage, @Required String appName) {}

  /** Whether a green build of {@code branch} is released to staging by itself. */
  public record AutoDeploy(Boolean enabled, String branch, Boolean waitForCi) {}

  /** Review apps per pull request. */
  public record ReviewApps(
      Boolean enabled, Boolean waitForCi, Integer staleDays, String baseName) {}

  /** Config vars of the test and review stages; values are plain, put secrets elsewhere. */
  public record ConfigVars(Map<String, String> test, Map<String, String> review) {}

  /** Gates a promotion out of this pipeline must pass. */
  public record PromotionPolicy(
      Integer requiredApprovals, Boolean selfApproval, Boolean requirePassingTests) {}
}

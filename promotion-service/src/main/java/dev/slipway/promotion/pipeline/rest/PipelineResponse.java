package dev.slipway.promotion.pipeline.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.promotion.pipeline.Pipeline;
import dev.slipway.promotion.pipeline.PipelineSpec;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A pipeline as the API shows it: secrets only as whether they are set, config var values redacted.
 */
public record PipelineResponse(
    UUID id,
    String name,
    @JsonProperty("repository_url") String repositoryUrl,
    String forge,
    String branch,
    @JsonProperty("webhook_secret_set") boolean webhookSecretSet,
    @JsonProperty("forge_token_set") boolean forgeTokenSet,
    List<Coupling> couplings,
    @JsonProperty("auto_deploy") AutoDeploy autoDeploy,
    @JsonProperty("review_apps") ReviewApps reviewApps,
    @JsonProperty("config_vars") Map<String, Map<String, String>> configVars,
    @JsonProperty("promotion_policy") PromotionPolicy promotionPolicy,
    @JsonProperty("created_at") OffsetDateTime createdAt,
    @JsonProperty("updated_at") OffsetDateTime updatedAt) {

  static final String REDACTED = "[redacted]";

  /** An app in a stage. */
  public record Coupling(String stage, @JsonProperty("app_name") String appName) {}

  /** Auto-deploy policy. */
  public record AutoDeploy(
      boolean enabled, String branch, @JsonProperty("wait_for_ci") boolean waitForCi) {}

  /** Review-app policy. */
  public record ReviewApps(
      boolean enabled,
      @JsonProperty("wait_for_ci") boolean waitForCi,
      @JsonProperty("stale_days") int staleDays,
      @JsonProperty("base_name") String baseName) {}

  /** Promotion gates. */
  public record PromotionPolicy(
      @JsonProperty("required_approvals") int requiredApprovals,
      @JsonProperty("self_approval") boolean selfApproval,
      @JsonProperty("require_passing_tests") boolean requirePassingTests) {}

  static PipelineResponse of(Pipeline p) {
    PipelineSpec s = p.spec();
    return new PipelineResponse(
        p.id(),
        s.name(),
        s.repositoryUrl(),
        s.forge(),
        s.branch(),
        s.webhookSecret() != null,
        s.forgeToken() != null,
        s.couplings().stream().map(c -> new Coupling(c.stage(), c.appName())).toList(),
        new AutoDeploy(
            s.autoDeploy().enabled(), s.autoDeploy().branch(), s.autoDeploy().waitForCi()),
        new ReviewApps(
            s.reviewApps().enabled(),
            s.reviewApps().waitForCi(),
            s.reviewApps().staleDays(),
            s.reviewApps().baseName()),
        Map.of("test", redacted(s.testConfigVars()), "review", redacted(s.reviewConfigVars())),
        new PromotionPolicy(
            s.promotionPolicy().requiredApprovals(),
            s.promotionPolicy().selfApproval(),
            s.promotionPolicy().requirePassingTests()),
        p.createdAt(),
        p.updatedAt());
  }

  private static Map<String, String> redacted(Map<String, String> vars) {
    Map<String, String> out = new TreeMap<>();
    vars.keySet().forEach(k -> out.put(k, REDACTED));
    return out;
  }
}

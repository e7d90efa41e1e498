package dev.slipway.promotion.pipeline.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.platform.auth.LeastRole;
import dev.slipway.platform.auth.Roles;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /pipelines} (name and repository_url required) and {@code PATCH
 * /pipelines/{id}} (every field optional; a field present replaces the stored one). Secrets are
 * write-only; the fields that set the pipeline's security posture are admin-only ({@link
 * LeastRole}).
 */
public record PipelineRequest(
    @Pattern(
            regexp = "[a-z][a-z0-9-]{1,28}[a-z0-9]",
            message = "must be 3 to 30 lowercase letters, digits or dashes, starting with a letter")
        String name,
    @LeastRole(Roles.ADMIN) @JsonProperty("repository_url") @Size(min = 1, max = 2048)
        String repositoryUrl,
    @LeastRole(Roles.ADMIN)
        @Pattern(regexp = "github|gitlab|generic", message = "must be github, gitlab or generic")
        String forge,
    @Size(max = 255)
        @Pattern(
            regexp = BRANCH,
            message = "must be a branch name (letters, digits, '.', '_', '/', '-')")
        String branch,
    @LeastRole(Roles.ADMIN) @JsonProperty("webhook_secret") @Size(min = 16, max = 256)
        String webhookSecret,
    @LeastRole(Roles.ADMIN) @JsonProperty("forge_token") @Size(min = 1, max = 1024)
        String forgeToken,
    @Size(max = 50) List<@Valid @NotNull CouplingRequest> couplings,
    @JsonProperty("auto_deploy") @Valid AutoDeployRequest autoDeploy,
    @JsonProperty("review_apps") @Valid ReviewAppsRequest reviewApps,
    @JsonProperty("config_vars") @Valid StageConfigVarsRequest configVars,
    @LeastRole(Roles.ADMIN) @JsonProperty("promotion_policy") @Valid
        PromotionPolicyRequest promotionPolicy) {

  static final String BRANCH = "[A-Za-z0-9._][A-Za-z0-9._/-]*";
  static final String APP = "[a-z][a-z0-9-]{1,28}[a-z0-9]";
  static final String CONFIG_KEY = "[A-Z_][A-Z0-9_]{0,127}";

  /** One app in one stage. */
  public record CouplingRequest(
      @NotBlank
          @Pattern(
              regexp = "review|staging|production",
              message = "must be review, staging or production")
          String stage,
      @JsonProperty("app_name")
          @NotBlank
          @Pattern(regexp = APP, message = "must be 3 to 30 lowercase letters, digits or dashes")
          String appName) {}

  /** Auto-deploy policy; absent fields keep their value. */
  public record AutoDeployRequest(
      Boolean enabled,
      @Pattern(regexp = BRANCH, message = "must be a branch name") String branch,
      @JsonProperty("wait_for_ci") Boolean waitForCi) {}

  /** Review-app policy; absent fields keep their value. */
  public record ReviewAppsRequest(
      Boolean enabled,
      @JsonProperty("wait_for_ci") Boolean waitForCi,
      @JsonProperty("stale_days") @Min(1) @Max(365) Integer staleDays,
      @JsonProperty("base_name")
          @Pattern(
              regexp = "[a-z][a-z0-9-]{0,19}",
              message = "must be up to 20 lowercase letters, digits or dashes")
          String baseName) {}

  /** Config vars of the test and review stages; a stage given replaces that stage's vars. */
  public record StageConfigVarsRequest(
      @Size(max = 200)
          Map<
                  @Pattern(
                      regexp = CONFIG_KEY,
                      message = "config var names are upper case letters, digits and '_'")
                  String,
                  @NotNull @Size(max = 32768) String>
              test,
      @Size(max = 200)
          Map<
                  @Pattern(
                      regexp = CONFIG_KEY,
                      message = "config var names are upper case letters, digits and '_'")
                  String,
                  @NotNull @Size(max = 32768) String>
              review) {}

  /** Gates a promotion must pass; absent fields keep their value. */
  public record PromotionPolicyRequest(
      @JsonProperty("required_approvals") @Min(0) @Max(10) Integer requiredApprovals,
      @JsonProperty("self_approval") Boolean selfApproval,
      @JsonProperty("require_passing_tests") Boolean requirePassingTests) {}
}

package dev.slipway.promotion.pipeline.rest;

import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.platform.validation.InputRules;
import dev.slipway.promotion.pipeline.PipelineSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns API requests into pipeline specs: Heroku-like defaults on create, merging on update. Public
 * because the Pipeline operator applies the same defaults and checks to a custom resource.
 */
public final class PipelineRequests {

  private PipelineRequests() {}

  public static PipelineSpec newSpec(PipelineRequest r) {
    if (r.name() == null || r.name().isBlank()) {
      throw ApiException.badField("name", "is required");
    }
    if (r.repositoryUrl() == null || r.repositoryUrl().isBlank()) {
      throw ApiException.badField("repository_url", "is required");
    }
    ApiException.check("name", InputRules.name(r.name()));
    String repositoryUrl = checkRepositoryUrl(r.repositoryUrl().trim());
    String branch = checkBranch("branch", r.branch() != null ? r.branch() : "main");
    PipelineSpec defaults =
        new PipelineSpec(
            r.name(),
            repositoryUrl,
            r.forge() != null ? r.forge() : guessForge(repositoryUrl),
            branch,
            null,
            null,
            List.of(),
            new PipelineSpec.AutoDeployPolicy(true, branch, true),
            new PipelineSpec.ReviewAppPolicy(false, true, 5, r.name()),
            Map.of(),
            Map.of(),
            new PipelineSpec.PromotionPolicy(0, false, true));
    return patched(defaults, r);
  }

  static PipelineSpec patched(PipelineSpec base, PipelineRequest r) {
    if (r.name() != null) {
      ApiException.check("name", InputRules.name(r.name()));
    }
    if (r.reviewApps() != null && r.reviewApps().baseName() != null) {
      ApiException.check("review_apps.base_name", InputRules.name(r.reviewApps().baseName()));
    }
    if (r.configVars() != null) {
      checkConfigVars("config_vars.test", r.configVars().test());
      checkConfigVars("config_vars.review", r.configVars().review());
    }
    String repositoryUrl =
        r.repositoryUrl() != null
            ? checkRepositoryUrl(r.repositoryUrl().trim())
            : base.repositoryUrl();
    String branch = r.branch() != null ? checkBranch("branch", r.branch()) : base.branch();
    PipelineSpec.AutoDeployPolicy auto = base.autoDeploy();
    if (r.autoDeploy() != null) {
      auto =
          new PipelineSpec.AutoDeployPolicy(
              r.autoDeploy().enabled() != null ? r.autoDeploy().enabled() : auto.enabled(),
              r.autoDeploy().branch() != null
                  ? checkBranch("auto_deploy.branch", r.autoDeploy().branch())
                  : auto.branch(),
              r.autoDeploy().waitForCi() != null ? r.autoDeploy().waitForCi() : auto.waitForCi());
    } else if (r.branch() != null && auto.branch().equals(base.branch())) {
      // Auto-deploy follows the pipeline's branch unless it was pointed elsewhere.
      auto = new PipelineSpec.AutoDeployPolicy(auto.enabled(), branch, auto.waitForCi());
    }
    PipelineSpec.ReviewAppPolicy review = base.reviewApps();
    if (r.reviewApps() != null) {
      var rr = r.reviewApps();
      review =
          new PipelineSpec.ReviewAppPolicy(
              rr.enabled() != null ? rr.enabled() : review.enabled(),
              rr.waitForCi() != null ? rr.waitForCi() : review.waitForCi(),
              rr.staleDays() != null ? rr.staleDays() : review.staleDays(),
              rr.baseName() != null ? rr.baseName() : review.baseName());
    }
    PipelineSpec.PromotionPolicy policy = base.promotionPolicy();
    if (r.promotionPolicy() != null) {
      var pr = r.promotionPolicy();
      policy =
          new PipelineSpec.PromotionPolicy(
              pr.requiredApprovals() != null ? pr.requiredApprovals() : policy.requiredApprovals(),
              pr.selfApproval() != null ? pr.selfApproval() : policy.selfApproval(),
              pr.requirePassingTests() != null
                  ? pr.requirePassingTests()
                  : policy.requirePassingTests());
    }
    Map<String, String> testVars = base.testConfigVars();
    Map<String, String> reviewVars = base.reviewConfigVars();
    if (r.configVars() != null) {
      testVars = r.configVars().test() != null ? r.configVars().test() : testVars;
      reviewVars = r.configVars().review() != null ? r.configVars().review() : reviewVars;
    }
    return new PipelineSpec(
        r.name() != null ? r.name() : base.name(),
        repositoryUrl,
        r.forge() != null ? r.forge() : base.forge(),
        branch,
        r.webhookSecret() != null ? r.webhookSecret() : base.webhookSecret(),
        r.forgeToken() != null ? r.forgeToken() : base.forgeToken(),
        r.couplings() != null ? couplings(r.couplings()) : base.couplings(),
        auto,
        review,
        testVars,
        reviewVars,
        policy);
  }

  /**
   * Refuses a repository URL Slipway may not fetch from on this installation (UrlPolicy: scheme,
   * allow-listed host, no local or private addresses unless allowed), before anything is stored.
   */
  public static void checkOutbound(UrlPolicy policy, String repositoryUrl) {
    if (repositoryUrl == null) {
      return;
    }
    policy
        .refusal(repositoryUrl.trim())
        .ifPresent(
            why -> {
              throw ApiException.badField("repository_url", why);
            });
  }

  private static List<PipelineSpec.Coupling> couplings(
      List<PipelineRequest.CouplingRequest> given) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      ApiException.check("couplings[" + i + "].app_name", InputRules.name(given.get(i).appName()));
    }
    for (var c : given) {
      if (!seen.add(c.appName())) {
        throw ApiException.badField(
            "couplings", "app " + c.appName() + " appears twice; an app belongs to one stage");
      }
    }
    return given.stream().map(c -> new PipelineSpec.Coupling(c.stage(), c.appName())).toList();
  }

  private static String checkBranch(String field, String branch) {
    ApiException.check(field, InputRules.branch(branch));
    return branch;
  }

  private static void checkConfigVars(String field, Map<String, String> vars) {
    if (vars == null) {
      return;
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(vars).entrySet()) {
      ApiException.check(field + "[" + e.getKey() + "]", InputRules.configValue(e.getValue()));
    }
    ApiException.check(field, InputRules.configTotal(vars));
  }

  /**
   * https, http, ssh and file URLs, scp-like ssh, or an absolute path; never credentials in the
   * URL. Which of these this installation fetches from is {@link #checkOutbound}'s call.
   */
  private static String checkRepositoryUrl(String value) {
    if (value.startsWith("/")) {
      return value;
    }
    // scp-like ssh (git@host:owner/repo.git), as git and the forges write it.
    if (value.matches("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/:][^\\s]*")) {
      return value;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw ApiException.badField("repository_url", "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("https", "http", "ssh", "file").contains(scheme)) {
      throw ApiException.badField(
          "repository_url", "must be an https, http, ssh or file URL, or an absolute path");
    }
    // ssh://git@host names a login; a password, or any user-info over http(s), is a secret.
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && (!"ssh".equals(scheme) || userInfo.contains(":"))) {
      throw ApiException.badField(
          "repository_url", "must not contain credentials; give the forge token separately");
    }
    return value;
  }

  private static String guessForge(String repositoryUrl) {
    String lower = repositoryUrl.toLowerCase(Locale.ROOT);
    if (lower.contains("github.com")) {
      return "github";
    }
    if (lower.contains("gitlab")) {
      return "gitlab";
    }
    return "generic";
  }
}

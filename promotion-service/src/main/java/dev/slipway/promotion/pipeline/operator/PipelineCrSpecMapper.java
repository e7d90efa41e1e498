package dev.slipway.promotion.pipeline.operator;

import dev.slipway.api.v1alpha1.PipelineCustomResource;
import dev.slipway.api.v1alpha1.PipelineCustomResourceSpec;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.promotion.pipeline.PipelineSpec;
import dev.slipway.promotion.pipeline.rest.PipelineRequest;
import dev.slipway.promotion.pipeline.rest.PipelineRequests;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Turns a Pipeline resource into a pipeline spec through the REST create body, so that a resource
 * gets exactly the defaults and checks {@code POST /pipelines} applies.
 */
final class PipelineCrSpecMapper {

  private final Validator validator;
  private final UrlPolicy urlPolicy;

  PipelineCrSpecMapper(Validator validator, UrlPolicy urlPolicy) {
    this.validator = validator;
    this.urlPolicy = urlPolicy;
  }

  /**
   * The spec {@code cr} declares; {@code secrets} reads a referenced Secret key, given the ref and
   * the spec field naming it.
   *
   * @throws PipelineReconciler.Refused when the resource is invalid
   */
  PipelineSpec toSpec(
      PipelineCustomResource cr,
      BiFunction<PipelineCustomResourceSpec.SecretKeyRef, String, String> secrets) {
    PipelineCustomResourceSpec s = cr.getSpec();
    if (s == null) {
      throw invalid("spec: is required");
    }
    boolean nameDefaulted = s.name() == null;
    PipelineRequest request =
        new PipelineRequest(
            nameDefaulted ? cr.getMetadata().getName() : s.name(),
            s.repositoryUrl(),
            s.forge(),
            s.branch(),
            secrets.apply(s.webhookSecretRef(), "webhookSecretRef"),
            secrets.apply(s.forgeTokenRef(), "forgeTokenRef"),
            s.couplings() == null
                ? null
                : s.couplings().stream()
                    .map(
                        c ->
                            c == null
                                ? null
                                : new PipelineRequest.CouplingRequest(c.stage(), c.appName()))
                    .toList(),
            s.autoDeploy() == null
                ? null
                : new PipelineRequest.AutoDeployRequest(
                    s.autoDeploy().enabled(), s.autoDeploy().branch(), s.autoDeploy().waitForCi()),
            s.reviewApps() == null
                ? null
                : new PipelineRequest.ReviewAppsRequest(
                    s.reviewApps().enabled(),
                    s.reviewApps().waitForCi(),
                    s.reviewApps().staleDays(),
                    s.reviewApps().baseName()),
            s.configVars() == null
                ? null
                : new PipelineRequest.StageConfigVarsRequest(
                    s.configVars().test(), s.configVars().review()),
            s.promotionPolicy() == null
                ? null
                : new PipelineRequest.PromotionPolicyRequest(
                    s.promotionPolicy().requiredApprovals(),
                    s.promotionPolicy().selfApproval(),
                    s.promotionPolicy().requirePassingTests()));
    var violations = validator.validate(request);
    if (!violations.isEmpty()) {
      throw invalid(
          violations.stream()
              .map(v -> describe(v, nameDefaulted))
              .sorted()
              .collect(Collectors.joining("; ")));
    }
    try {
      PipelineRequests.checkOutbound(urlPolicy, request.repositoryUrl());
      return PipelineRequests.newSpec(request);
    } catch (ApiException e) {
      throw invalid(describe(e));
    }
  }

  private static String describe(ConstraintViolation<PipelineRequest> v, boolean nameDefaulted) {
    String path = v.getPropertyPath().toString();
    if (nameDefaulted && path.equals("name")) {
      return "metadata.name (the default for spec.name): " + v.getMessage();
    }
    // The request carries the secret values; the resource names the Secret keys holding them.
    if (path.equals("webhookSecret") || path.equals("forgeToken")) {
      path += "Ref";
    }
    return "spec." + path + ": " + v.getMessage();
  }

  /** An API refusal names its field in snake_case; the resource's fields are camelCase. */
  private static String describe(ApiException e) {
    String field = e.field() == null ? "" : e.field();
    String message = e.getMessage();
    if (message.startsWith(field + ": ")) {
      message = message.substring(field.length() + 2);
    }
    return "spec." + camelCase(field) + ": " + message;
  }

  static String camelCase(String snake) {
    StringBuilder out = new StringBuilder(snake.length());
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static PipelineReconciler.Refused invalid(String message) {
    return new PipelineReconciler.Refused("InvalidSpec", message, true);
  }
}

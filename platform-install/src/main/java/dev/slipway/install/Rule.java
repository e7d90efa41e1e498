package dev.slipway.install;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/** One RBAC rule and why Slipway needs it; the reason is rendered as a YAML comment above it. */
public record Rule(String why, PolicyRule rule) {

  public Rule {
    if (why == null || why.isBlank()) {
      throw new IllegalArgumentException("every RBAC rule says why it is needed");
    }
  }

  /** A rule on resources of one API group. */
  public static Rule of(String why, String apiGroup, List<String> resources, String... verbs) {
    return new Rule(
        why,
        new PolicyRuleBuilder()
            .withApiGroups(apiGroup)
            .withResources(resources)
            .withVerbs(verbs)
            .build());
  }

  /** A rule limited to the named objects. */
  public static Rule named(
      String why, String apiGroup, String resource, List<String> names, String... verbs) {
    return new Rule(
        why,
        new PolicyRuleBuilder()
            .withApiGroups(apiGroup)
            .withResources(resource)
            .withResourceNames(names)
            .withVerbs(verbs)
            .build());
  }
}

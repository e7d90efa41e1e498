package dev.slipway.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Least-privilege properties of every rule: no wildcard, no Secret access through a
 * ClusterRoleBinding, escalate / bind / impersonate only on named objects.
 */
final class RbacChecks {

  private static final Set<String> DANGEROUS = Set.of("escalate", "bind", "impersonate");

  private RbacChecks() {}

  static List<String> violations(List<HasMetadata> resources) {
    Set<String> boundClusterWide =
        resources.stream()
            .filter(ClusterRoleBinding.class::isInstance)
            .map(r -> ((ClusterRoleBinding) r).getRoleRef().getName())
            .collect(Collectors.toSet());
    List<String> found = new ArrayList<>();
    for (HasMetadata resource : resources) {
      List<PolicyRule> rules;
      boolean clusterWide;
      if (resource instanceof ClusterRole role) {
        rules = role.getRules();
        clusterWide = boundClusterWide.contains(role.getMetadata().getName());
      } else if (resource instanceof Role role) {
        rules = role.getRules();
        clusterWide = false;
      } else {
        continue;
      }
      String name = resource.getKind() + " " + resource.getMetadata().getName();
      for (PolicyRule rule : rules) {
        for (List<String> field :
            List.of(
                rule.getApiGroups(),
                rule.getResources(),
                rule.getVerbs(),
                rule.getResourceNames())) {
          if (field.stream().anyMatch(v -> v.contains("*"))) {
            found.add(name + ": wildcard in " + rule);
          }
        }
        if (clusterWide
            && rule.getApiGroups().contains("")
            && rule.getResources().contains("secrets")) {
          found.add(name + ": Secrets in every namespace");
        }
        if (rule.getVerbs().stream().anyMatch(DANGEROUS::contains)
            && rule.getResourceNames().isEmpty()) {
          found.add(name + ": escalate, bind or impersonate on every object");
        }
      }
    }
    return found;
  }
}

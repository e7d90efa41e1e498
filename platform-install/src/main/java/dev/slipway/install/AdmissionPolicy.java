package dev.slipway.install;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.VariableBuilder;
import java.util.List;

/**
 * The ValidatingAdmissionPolicy that makes the label {@code app.kubernetes.io/managed-by=slipway}
 * hold against a compromised service, which RBAC alone cannot: Slipway's service accounts may
 * create, change and delete only namespaces carrying it, may not add it to a namespace without it,
 * and may run workloads or bind roles only in such namespaces (build-service: also in its builds
 * namespace).
 */
public final class AdmissionPolicy {

  public static final String NAME = "slipway-managed-namespaces";

  /** Only requests by the platform namespace's service accounts are checked. */
  static final String MATCH_SLIPWAY =
      "request.userInfo.username.startsWith('system:serviceaccount:"
          + SlipwayService.NAMESPACE
          + ":')";

  static final String IS_NAMESPACE =
      "request.resource.group == '' && request.resource.resource == 'namespaces'";

  static final String OLD_MANAGED =
      "oldObject != null && has(oldObject.metadata.labels) && '"
          + Labels.MANAGED_BY
          + "' in oldObject.metadata.labels && oldObject.metadata.labels['"
          + Labels.MANAGED_BY
          + "'] == '"
          + Labels.MANAGER
          + "'";

  static final String NEW_MANAGED = OLD_MANAGED.replace("oldObject", "object");

  static final String NAMESPACE_MANAGED =
      "namespaceObject != null && has(namespaceObject.metadata.labels) && '"
          + Labels.MANAGED_BY
          + "' in namespaceObject.metadata.labels && namespaceObject.metadata.labels['"
          + Labels.MANAGED_BY
          + "'] == '"
          + Labels.MANAGER
          + "'";

  static final String BUILDS_EXCEPTION =
      "request.namespace == '"
          + SlipwayService.BUILDS_NAMESPACE
          + "' && request.userInfo.username == '"
          + SlipwayService.BUILD.serviceAccountUser()
          + "'";

  /** The validations in order: expression, then the message a refused request gets. */
  static final List<List<String>> VALIDATIONS =
      List.of(
          List.of(
              "!variables.isNamespace || request.operation != 'CREATE' || variables.newManaged",
              "Slipway may only create namespaces labelled "
                  + Labels.MANAGED_BY
                  + "="
                  + Labels.MANAGER),
          List.of(
              "!variables.isNamespace || request.operation != 'UPDATE'"
                  + " || (variables.oldManaged && variables.newManaged)",
              "Slipway may only change namespaces it manages, and may neither add nor remove the"
                  + " label "
                  + Labels.MANAGED_BY),
          List.of(
              "!variables.isNamespace || request.operation != 'DELETE' || variables.oldManaged",
              "Slipway may only delete namespaces labelled "
                  + Labels.MANAGED_BY
                  + "="
                  + Labels.MANAGER),
          List.of(
              "variables.isNamespace || variables.namespaceManaged || variables.buildsNamespace",
              "Slipway may only run workloads and bind roles in namespaces labelled "
                  + Labels.MANAGED_BY
                  + "="
                  + Labels.MANAGER));

  /** The variables, name then expression, as the policy declares them. */
  static final List<List<String>> VARIABLES =
      List.of(
          List.of("isNamespace", IS_NAMESPACE),
          List.of("oldManaged", OLD_MANAGED),
          List.of("newManaged", NEW_MANAGED),
          List.of("namespaceManaged", NAMESPACE_MANAGED),
          List.of("buildsNamespace", BUILDS_EXCEPTION));

  private AdmissionPolicy() {}

  public static List<Manifest> all() {
    List<String> write = List.of("CREATE", "UPDATE", "DELETE");
    return List.of(
        Manifest.of(
            new ValidatingAdmissionPolicyBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withLabels(Labels.partOf())
                .endMetadata()
                .withNewSpec()
                .withFailurePolicy("Fail")
                .withNewMatchConstraints()
                .withResourceRules(
                    rule("", List.of("namespaces"), write),
                    rule("", List.of("pods"), write),
                    rule(
                        "apps",
                        List.of("deployments", "replicasets", "statefulsets", "daemonsets"),
                        write),
                    rule("batch", List.of("jobs", "cronjobs"), write),
                    rule(Permissions.RBAC, List.of("rolebindings"), write))
                .endMatchConstraints()
                .addNewMatchCondition()
                .withName("slipway-service-accounts")
                .withExpression(MATCH_SLIPWAY)
                .endMatchCondition()
                .withVariables(
                    VARIABLES.stream()
                        .map(
                            v ->
                                new VariableBuilder()
                                    .withName(v.get(0))
                                    .withExpression(v.get(1))
                                    .build())
                        .toList())
                .withValidations(
                    VALIDATIONS.stream()
                        .map(
                            v ->
                                new ValidationBuilder()
                                    .withExpression(v.get(0))
                                    .withMessage(v.get(1))
                                    .withReason("Forbidden")
                                    .build())
                        .toList())
                .endSpec()
                .build(),
            "Evaluated in AdmissionPolicyTest against allowed and refused requests (dev.cel)."),
        Manifest.of(
            new ValidatingAdmissionPolicyBindingBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withLabels(Labels.partOf())
                .endMetadata()
                .withNewSpec()
                .withPolicyName(NAME)
                .withValidationActions("Deny")
                .endSpec()
                .build()));
  }

  private static NamedRuleWithOperations rule(
      String group, List<String> resources, List<String> operations) {
    return new NamedRuleWithOperationsBuilder()
        .withApiGroups(group)
        .withApiVersions("*")
        .withResources(resources)
        .withOperations(operations)
        .withScope("*")
        .build();
  }
}

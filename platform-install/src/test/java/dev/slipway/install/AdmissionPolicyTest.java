package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicySpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered ValidatingAdmissionPolicy's CEL, evaluated with cel-java as the API server would
 * evaluate it, on requests it must allow and requests it must refuse. The policy uses only standard
 * CEL (has(), in, startsWith, ==, &&, ||): none of Kubernetes' CEL extension libraries, so nothing
 * had to be mirrored by hand.
 */
class AdmissionPolicyTest {

  private static final String DEPLOY = SlipwayService.DEPLOY.serviceAccountUser();
  private static final String TEST = SlipwayService.TEST.serviceAccountUser();
  private static final String BUILD = SlipwayService.BUILD.serviceAccountUser();
  private static final Map<String, String> MANAGED = Map.of(Labels.MANAGED_BY, Labels.MANAGER);
  private static final Map<String, String> FOREIGN = Map.of("team", "payments");

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("request", SimpleType.DYN)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .addVar("namespaceObject", SimpleType.DYN)
          .addVar("variables", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  static Stream<Arguments> requests() {
    return Stream.of(
        // Namespaces
        row(
            "creates a labelled namespace",
            DEPLOY,
            "CREATE",
            "namespaces",
            "",
            null,
            null,
            MANAGED,
            null),
        row(
            "creates an unlabelled namespace",
            DEPLOY,
            "CREATE",
            "namespaces",
            "",
            null,
            null,
            FOREIGN,
            "create"),
        row(
            "creates a namespace with no labels",
            TEST,
            "CREATE",
            "namespaces",
            "",
            null,
            null,
            Map.of(),
            "create"),
        row(
            "relabels a managed namespace",
            DEPLOY,
            "UPDATE",
            "namespaces",
            "",
            null,
            MANAGED,
            withExtra(MANAGED),
            null),
        row(
            "adds the label to a foreign namespace",
            DEPLOY,
            "UPDATE",
            "namespaces",
            "",
            null,
            FOREIGN,
            MANAGED,
            "change"),
        row(
            "removes the label from a managed namespace",
            DEPLOY,
            "UPDATE",
            "namespaces",
            "",
            null,
            MANAGED,
            FOREIGN,
            "change"),
        row(
            "deletes a managed namespace",
            TEST,
            "DELETE",
            "namespaces",
            "",
            null,
            MANAGED,
            null,
            null),
        row(
            "deletes kube-system",
            DEPLOY,
            "DELETE",
            "namespaces",
            "",
            null,
            Map.of("kubernetes.io/metadata.name", "kube-system"),
            null,
            "delete"),
        row(
            "deletes the platform namespace",
            DEPLOY,
            "DELETE",
            "namespaces",
            "",
            null,
            Map.of("app.kubernetes.io/part-of", "slipway"),
            null,
            "delete"),
        row(
            "deletes a namespace without labels",
            DEPLOY,
            "DELETE",
            "namespaces",
            "",
            null,
            Map.of(),
            null,
            "delete"),
        // Workloads and role bindings
        row(
            "creates a Deployment in a managed namespace",
            DEPLOY,
            "CREATE",
            "deployments",
            "shop",
            MANAGED,
            null,
            Map.of(),
            null),
        row(
            "creates a Deployment in kube-system",
            DEPLOY,
            "CREATE",
            "deployments",
            "kube-system",
            Map.of(),
            null,
            Map.of(),
            "workloads"),
        row(
            "creates a pod in a foreign namespace",
            TEST,
            "CREATE",
            "pods",
            "payments",
            FOREIGN,
            null,
            Map.of(),
            "workloads"),
        row(
            "deletes a Job in a foreign namespace",
            TEST,
            "DELETE",
            "jobs",
            "payments",
            FOREIGN,
            Map.of(),
            null,
            "workloads"),
        row(
            "binds its role in a managed namespace",
            TEST,
            "CREATE",
            "rolebindings",
            "t-1",
            MANAGED,
            null,
            Map.of(),
            null),
        row(
            "binds its role in default",
            DEPLOY,
            "CREATE",
            "rolebindings",
            "default",
            Map.of(),
            null,
            Map.of(),
            "workloads"),
        row(
            "build-service creates a build Job in slipway-builds",
            BUILD,
            "CREATE",
            "jobs",
            "slipway-builds",
            Map.of("app.kubernetes.io/part-of", "slipway"),
            null,
            Map.of(),
            null),
        row(
            "deploy-service creates a Job in slipway-builds",
            DEPLOY,
            "CREATE",
            "jobs",
            "slipway-builds",
            Map.of("app.kubernetes.io/part-of", "slipway"),
            null,
            Map.of(),
            "workloads"),
        row(
            "build-service creates a Job in kube-system",
            BUILD,
            "CREATE",
            "jobs",
            "kube-system",
            Map.of(),
            null,
            Map.of(),
            "workloads"),
        // Not Slipway: the policy does not apply.
        row(
            "the deployment controller creates a pod anywhere",
            "system:serviceaccount:kube-system:replicaset-controller",
            "CREATE",
            "pods",
            "kube-system",
            Map.of(),
            null,
            Map.of(),
            null),
        row(
            "an administrator deletes a foreign namespace",
            "admin@example.com",
            "DELETE",
            "namespaces",
            "",
            null,
            FOREIGN,
            null,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void thePolicyAllowsOrRefusesAsSlipwaysBoundaryRequires(
      String description, Map<String, Object> input, String refusedFor) throws Exception {
    ValidatingAdmissionPolicySpec spec = policy().getSpec();
    assertEquals(1, spec.getMatchConditions().size());
    String refusal = null;
    if (eval(spec.getMatchConditions().get(0).getExpression(), input)) {
      Map<String, Object> variables = new HashMap<>();
      Map<String, Object> activation = new HashMap<>(input);
      activation.put("variables", variables);
      for (Variable variable : spec.getVariables()) {
        variables.put(variable.getName(), eval(variable.getExpression(), activation));
      }
      for (Validation validation : spec.getValidations()) {
        if (!eval(validation.getExpression(), activation)) {
          refusal = validation.getMessage();
          break;
        }
      }
    }
    if (refusedFor == null) {
      assertEquals(null, refusal, description);
    } else {
      assertEquals(
          true, refusal != null && refusal.contains(refusedFor), description + ": " + refusal);
    }
  }

  private static boolean eval(String expression, Map<String, Object> activation) throws Exception {
    CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
    Object result = RUNTIME.createProgram(ast).eval(activation);
    if (!(result instanceof Boolean b)) {
      throw new AssertionError(expression + " gave " + result);
    }
    return b;
  }

  private static ValidatingAdmissionPolicy policy() {
    return RenderedProfile.load(Profile.PRODUCTION).all(ValidatingAdmissionPolicy.class).get(0);
  }

  /**
   * An admission request as the API server hands it to CEL: {@code request}, {@code object} (null
   * on DELETE), {@code oldObject} (null on CREATE), {@code namespaceObject} (null for namespaces).
   */
  private static Arguments row(
      String description,
      String user,
      String operation,
      String resource,
      String namespace,
      Map<String, String> namespaceLabels,
      Map<String, String> oldLabels,
      Map<String, String> newLabels,
      String refusedFor) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("operation", operation);
    request.put("namespace", namespace);
    request.put("userInfo", Map.of("username", user));
    String group =
        switch (resource) {
          case "deployments" -> "apps";
          case "jobs" -> "batch";
          case "rolebindings" -> Permissions.RBAC;
          default -> "";
        };
    request.put("resource", Map.of("group", group, "version", "v1", "resource", resource));
    Map<String, Object> input = new HashMap<>();
    input.put("request", request);
    input.put("object", object(newLabels));
    input.put("oldObject", object(oldLabels));
    input.put(
        "namespaceObject",
        namespaceLabels == null
            ? NullValue.NULL_VALUE
            : Map.of("metadata", Map.of("name", namespace, "labels", namespaceLabels)));
    return Arguments.of(description, input, refusedFor);
  }

  private static Object object(Map<String, String> labels) {
    if (labels == null) {
      return NullValue.NULL_VALUE;
    }
    // An object without labels has no metadata.labels at all, as the API server sends it.
    return labels.isEmpty()
        ? Map.of("metadata", Map.of("name", "x"))
        : Map.of("metadata", Map.of("name", "x", "labels", labels));
  }

  private static Map<String, String> withExtra(Map<String, String> labels) {
    Map<String, String> more = new HashMap<>(labels);
    more.put("slipway.dev/kind", "review");
    return more;
  }
}

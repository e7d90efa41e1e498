package dev.slipway.install;

import static dev.slipway.install.SlipwayService.BUILDS_NAMESPACE;
import static dev.slipway.install.SlipwayService.NAMESPACE;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The services' RBAC, split as issue #17 asks: cluster-wide only what creating a managed namespace
 * takes (the namespace itself and the RoleBinding that grants the rest inside it); inside managed
 * namespaces a ClusterRole bound per namespace; in the platform and builds namespaces, Roles.
 */
public final class Permissions {

  static final String RBAC = "rbac.authorization.k8s.io";
  static final String DEPLOY_IN_MANAGED = "slipway-deploy-service-in-managed-namespace";
  static final String TEST_IN_MANAGED = "slipway-test-service-in-managed-namespace";

  private static final List<String> READ = List.of("get", "list", "watch");

  private Permissions() {}

  /** Every Role, ClusterRole and binding of both profiles (they do not differ). */
  public static List<Manifest> all() {
    List<Manifest> all = new ArrayList<>();
    all.addAll(namespaceCreator(SlipwayService.DEPLOY, DEPLOY_IN_MANAGED));
    all.add(
        clusterRole(
            DEPLOY_IN_MANAGED,
            "What deploy-service may do inside one namespace it manages (an app or a review app):"
                + " bound there by a RoleBinding of the same name when it creates the namespace.",
            deployInManagedNamespace()));
    all.addAll(namespaceCreator(SlipwayService.TEST, TEST_IN_MANAGED));
    all.add(
        clusterRole(
            TEST_IN_MANAGED,
            "What test-service may do inside one test-run namespace: bound there by a RoleBinding"
                + " of the same name when it creates the namespace.",
            testInManagedNamespace()));
    all.addAll(
        role(
            SlipwayService.BUILD,
            BUILDS_NAMESPACE,
            "slipway-build-service",
            "build-service runs each build as a Job in " + BUILDS_NAMESPACE + " and nowhere else.",
            buildJobs()));
    all.addAll(
        role(
            SlipwayService.DEPLOY,
            NAMESPACE,
            "slipway-review-app-operator",
            "ReviewApps and their config Secrets live in the platform namespace only.",
            reviewAppOperator()));
    all.addAll(pipelineOperator());
    for (SlipwayService service : SlipwayService.values()) {
      all.addAll(
          role(
              service,
              NAMESPACE,
              "slipway-" + service.serviceName() + "-leader-election",
              "Leader election of " + service.serviceName() + "'s singleton jobs.",
              List.of(
                  Rule.of(
                      "Leases slipway-"
                          + service.serviceName()
                          + "-<job> elect the one replica that runs an operator or a sweeper;"
                          + " create makes the Lease, update renews or takes it over.",
                      "coordination.k8s.io",
                      List.of("leases"),
                      "get",
                      "create",
                      "update"))));
    }
    return all;
  }

  private static List<Manifest> namespaceCreator(SlipwayService service, String inManaged) {
    String name = "slipway-" + service.serviceName();
    List<Rule> rules =
        List.of(
            Rule.of(
                "One namespace per "
                    + (service == SlipwayService.DEPLOY ? "app and review app" : "test run")
                    + ", created, relabelled, listed by label and deleted. RBAC cannot limit this"
                    + " to labelled namespaces: the ValidatingAdmissionPolicy"
                    + " slipway-managed-namespaces does.",
                "",
                List.of("namespaces"),
                "create",
                "get",
                "list",
                "watch",
                "patch",
                "delete"),
            Rule.of(
                "The RoleBinding "
                    + inManaged
                    + " is created in each new namespace, which did not exist before, hence"
                    + " cluster-wide; the admission policy refuses it outside managed namespaces.",
                RBAC,
                List.of("rolebindings"),
                "create"),
            Rule.named(
                "bind on exactly the in-managed-namespace ClusterRole: the documented minimum for"
                    + " granting a role one does not hold cluster-wide.",
                RBAC,
                "clusterroles",
                List.of(inManaged),
                "bind"));
    return List.of(
        new Manifest(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Labels.partOf())
                .endMetadata()
                .withRules(rules.stream().map(Rule::rule).toList())
                .build(),
            List.of(
                "Cluster-wide rights of "
                    + service.serviceName()
                    + ": make a managed namespace and grant itself "
                    + inManaged
                    + " inside it. Nothing else, and no Secrets."),
            rules.stream().map(Rule::why).toList()),
        Manifest.of(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Labels.partOf())
                .endMetadata()
                .withRoleRef(roleRef("ClusterRole", name))
                .withSubjects(subject(service))
                .build()));
  }

  private static List<Rule> deployInManagedNamespace() {
    return List.of(
        Rule.of(
            "The app's processes: one Deployment per process type, scaled and rolled back.",
            "apps",
            List.of("deployments"),
            "create",
            "get",
            "list",
            "watch",
            "update",
            "patch",
            "delete"),
        Rule.of(
            "A Service per web process, the release's config Secret, and the namespace's quota and"
                + " limits, converged with create / update / delete.",
            "",
            List.of("services", "secrets", "resourcequotas", "limitranges"),
            "create",
            "get",
            "list",
            "update",
            "delete"),
        Rule.of(
            "The ServiceAccount slipway-app, with token automount turned off by a patch.",
            "",
            List.of("serviceaccounts"),
            "create",
            "get",
            "patch"),
        Rule.of(
            "The namespace's isolation NetworkPolicies, and the app's Ingress where Ingress is"
                + " chosen over Gateway API.",
            "networking.k8s.io",
            List.of("ingresses", "networkpolicies"),
            "create",
            "get",
            "list",
            "update",
            "delete"),
        Rule.of(
            "The app's HTTPRoute on the configured Gateway.",
            "gateway.networking.k8s.io",
            List.of("httproutes"),
            "create",
            "get",
            "list",
            "update",
            "delete"),
        Rule.of(
            "One-off Jobs (release phase, postdeploy, pr-predestroy): created, polled, deleted.",
            "batch",
            List.of("jobs"),
            "create",
            "get",
            "list",
            "delete"),
        Rule.of(
            "Processes and logs are read from pods; nothing writes them.",
            "",
            List.of("pods", "pods/log"),
            READ.toArray(String[]::new)));
  }

  private static List<Rule> testInManagedNamespace() {
    return List.of(
        Rule.of(
            "Test nodes run as Jobs; a cancelled or finished run's are deleted by label.",
            "batch",
            List.of("jobs"),
            "create",
            "get",
            "list",
            "watch",
            "delete",
            "deletecollection"),
        Rule.of(
            "Pods of the test Jobs: their state and output are read, leftovers deleted by label.",
            "",
            List.of("pods"),
            "get",
            "list",
            "watch",
            "delete",
            "deletecollection"),
        Rule.of("Each node's test output is its pod's log.", "", List.of("pods/log"), "get"),
        Rule.of(
            "The run's env and fetch-token Secrets, the heroku-postgresql add-on's init ConfigMap,"
                + " Service and Deployment: created, then deleted by label.",
            "",
            List.of("secrets", "configmaps", "services"),
            "create",
            "get",
            "list",
            "delete",
            "deletecollection"),
        Rule.of(
            "The heroku-postgresql add-on's Deployment.",
            "apps",
            List.of("deployments"),
            "create",
            "get",
            "list",
            "delete",
            "deletecollection"),
        Rule.of(
            "The namespace's quota and limits, converged with create / update.",
            "",
            List.of("resourcequotas", "limitranges"),
            "create",
            "get",
            "update"),
        Rule.of(
            "The namespace's isolation NetworkPolicies.",
            "networking.k8s.io",
            List.of("networkpolicies"),
            "create",
            "get",
            "list",
            "update",
            "delete"),
        Rule.of(
            "The ServiceAccount the test pods run as, with token automount turned off by a patch.",
            "",
            List.of("serviceaccounts"),
            "create",
            "get",
            "patch"));
  }

  private static List<Rule> buildJobs() {
    return List.of(
        Rule.of(
            "Each build is one Job: created, polled, deleted when done or cancelled.",
            "batch",
            List.of("jobs"),
            "create",
            "get",
            "delete"),
        Rule.of(
            "The build pod's phases are read from it; leftovers are deleted.",
            "",
            List.of("pods"),
            "get",
            "list",
            "delete",
            "deletecollection"),
        Rule.of("The build log is the pod's log.", "", List.of("pods/log"), "get"),
        Rule.of(
            "A build's config vars travel in a Secret of its own, deleted with the Job.",
            "",
            List.of("secrets"),
            "create",
            "get",
            "patch",
            "delete"));
  }

  private static List<Rule> reviewAppOperator() {
    return List.of(
        Rule.of(
            "The runtime creates, updates and deletes ReviewApps; the operator lists and watches"
                + " them and adds / removes its finalizer with an update.",
            "slipway.dev",
            List.of("reviewapps"),
            "create",
            "get",
            "list",
            "watch",
            "update",
            "patch",
            "delete"),
        Rule.of(
            "The operator writes each ReviewApp's status.",
            "slipway.dev",
            List.of("reviewapps/status"),
            "get",
            "update"),
        Rule.of(
            "Needed where the OwnerReferencesPermissionEnforcement admission plugin guards"
                + " finalizers.",
            "slipway.dev",
            List.of("reviewapps/finalizers"),
            "update"),
        Rule.of(
            "<app>-config-v<n>: a review app's release config, written by the runtime and read by"
                + " the operator. TODO(#17): these Secrets share the platform namespace with the"
                + " services' credentials; a namespace of their own would confine this rule.",
            "",
            List.of("secrets"),
            "create",
            "get",
            "list",
            "update",
            "delete"));
  }

  private static List<Manifest> pipelineOperator() {
    List<Rule> rules =
        List.of(
            Rule.of(
                "The informer lists and watches Pipelines in every namespace; update (a PUT, never"
                    + " a patch) adds and removes the finalizer.",
                "slipway.dev",
                List.of("pipelines"),
                "get",
                "list",
                "watch",
                "update"),
            Rule.of(
                "The status is written with a PUT on the status subresource.",
                "slipway.dev",
                List.of("pipelines/status"),
                "update"),
            Rule.of(
                "Needed where the OwnerReferencesPermissionEnforcement admission plugin guards"
                    + " finalizers.",
                "slipway.dev",
                List.of("pipelines/finalizers"),
                "update"));
    List<Rule> secretRules =
        List.of(
            Rule.of(
                "get (never list or watch) of the Secrets a Pipeline's webhookSecretRef and"
                    + " forgeTokenRef name. Bound per namespace only: no ClusterRoleBinding.",
                "",
                List.of("secrets"),
                "get"));
    return List.of(
        new Manifest(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("slipway-pipeline-operator")
                .withLabels(Labels.partOf())
                .endMetadata()
                .withRules(rules.stream().map(Rule::rule).toList())
                .build(),
            List.of("promotion-service's Pipeline operator (slipway.operator.enabled=true)."),
            rules.stream().map(Rule::why).toList()),
        Manifest.of(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("slipway-pipeline-operator")
                .withLabels(Labels.partOf())
                .endMetadata()
                .withRoleRef(roleRef("ClusterRole", "slipway-pipeline-operator"))
                .withSubjects(subject(SlipwayService.PROMOTION))
                .build()),
        new Manifest(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("slipway-pipeline-secret-reader")
                .withLabels(Labels.partOf())
                .endMetadata()
                .withRules(secretRules.stream().map(Rule::rule).toList())
                .build(),
            List.of(
                "Bind in each namespace that holds Pipelines (docs/operations.md):",
                "  kubectl create rolebinding slipway-pipeline-secret-reader -n <team-namespace> \\",
                "    --clusterrole=slipway-pipeline-secret-reader"
                    + " --serviceaccount=slipway:promotion-service"),
            secretRules.stream().map(Rule::why).toList()));
  }

  private static Manifest clusterRole(String name, String comment, List<Rule> rules) {
    return new Manifest(
        new ClusterRoleBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(Labels.partOf())
            .endMetadata()
            .withRules(rules.stream().map(Rule::rule).toList())
            .build(),
        List.of(comment),
        rules.stream().map(Rule::why).toList());
  }

  private static List<Manifest> role(
      SlipwayService service, String namespace, String name, String comment, List<Rule> rules) {
    return List.of(
        new Manifest(
            new RoleBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Labels.partOf())
                .endMetadata()
                .withRules(rules.stream().map(Rule::rule).toList())
                .build(),
            List.of(comment),
            rules.stream().map(Rule::why).toList()),
        Manifest.of(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Labels.partOf())
                .endMetadata()
                .withRoleRef(roleRef("Role", name))
                .withSubjects(subject(service))
                .build()));
  }

  private static RoleRef roleRef(String kind, String name) {
    return new RoleRefBuilder().withApiGroup(RBAC).withKind(kind).withName(name).build();
  }

  private static Subject subject(SlipwayService service) {
    return new SubjectBuilder()
        .withKind("ServiceAccount")
        .withName(service.serviceName())
        .withNamespace(NAMESPACE)
        .build();
  }
}

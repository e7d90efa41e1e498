package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.ConsumerGroups;
import dev.slipway.events.Topic;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Properties every rendered profile must have, checked on the files the build wrote. */
class InstallManifestsTest {

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyDocumentParsesAsATypedObjectWithoutUnknownFields(Profile profile) {
    RenderedProfile rendered = RenderedProfile.load(profile);
    assertTrue(rendered.documents().size() > 30, "documents: " + rendered.documents().size());
    for (RenderedProfile.Document doc : rendered.documents()) {
      HasMetadata resource = doc.resource();
      // Only kinds Fabric8 has no model for stay generic; they are checked against their CRDs.
      if (resource instanceof GenericKubernetesResource) {
        assertTrue(
            Set.of("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "ServiceMonitor")
                .contains(resource.getKind()),
            doc.file() + ": " + resource.getKind() + " parsed without a typed model");
      }
      assertEquals(List.of(), UnknownFields.in(resource), doc.file() + " " + resource.getKind());
    }
  }

  @Test
  void aFieldTheModelDoesNotKnowIsReported() {
    HasMetadata parsed =
        RenderedProfile.SERIALIZATION.unmarshal(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
                + "spec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n"
                + "      - name: x\n        readOnlyRootFileSystem: true\n");
    assertEquals(
        List.of(".spec.template.spec.containers[0] [readOnlyRootFileSystem]"),
        UnknownFields.in(parsed));
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyServiceHasADeploymentServiceServiceAccountAndDisruptionBudget(Profile profile) {
    RenderedProfile rendered = RenderedProfile.load(profile);
    for (SlipwayService service : SlipwayService.values()) {
      String name = service.serviceName();
      Deployment deployment = named(rendered.all(Deployment.class), name);
      assertNotNull(named(rendered.all(Service.class), name), name);
      assertNotNull(named(rendered.all(ServiceAccount.class), name), name);
      assertNotNull(named(rendered.all(PodDisruptionBudget.class), name), name);
      assertEquals(name, deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
      int replicas = deployment.getSpec().getReplicas();
      assertTrue(
          profile == Profile.DEV ? replicas == 1 : replicas >= 2, name + " replicas " + replicas);
      var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
      assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
      assertEquals(service.port(), container.getPorts().get(0).getContainerPort());
    }
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyServiceElectsItsSingletonJobsOnLeasesItMayWriteInThePlatformNamespace(Profile profile) {
    RenderedProfile rendered = RenderedProfile.load(profile);
    for (SlipwayService service : SlipwayService.values()) {
      String name = service.serviceName();
      var env =
          named(rendered.all(Deployment.class), name)
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getEnv();
      assertTrue(
          env.stream()
              .anyMatch(
                  e ->
                      e.getName().equals("SLIPWAY_LEADER_ELECTION_MODE")
                          && "kubernetes".equals(e.getValue())),
          name + " elects on Leases");
      Role leases = named(rendered.all(Role.class), "slipway-" + name + "-leader-election");
      assertNotNull(leases, name + " has a Role on Leases");
      assertEquals(SlipwayService.NAMESPACE, leases.getMetadata().getNamespace());
      assertTrue(
          leases.getRules().stream()
              .anyMatch(
                  r ->
                      r.getResources().contains("leases")
                          && r.getVerbs().containsAll(List.of("get", "create", "update"))),
          name + " may take and renew its Leases");
    }
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void servicesBudgetsPoliciesAndRoutesReachThePodsTheyName(Profile profile) {
    RenderedProfile rendered = RenderedProfile.load(profile);
    for (Deployment deployment : rendered.all(Deployment.class)) {
      Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
      String name = deployment.getMetadata().getName();
      assertTrue(
          podLabels
              .entrySet()
              .containsAll(
                  named(rendered.all(Service.class), name).getSpec().getSelector().entrySet()),
          name + ": Service selects no pod");
      assertTrue(
          podLabels
              .entrySet()
              .containsAll(
                  named(rendered.all(PodDisruptionBudget.class), name)
                      .getSpec()
                      .getSelector()
                      .getMatchLabels()
                      .entrySet()),
          name + ": budget selects no pod");
      assertTrue(
          podLabels
              .entrySet()
              .containsAll(
                  named(rendered.all(NetworkPolicy.class), name)
                      .getSpec()
                      .getPodSelector()
                      .getMatchLabels()
                      .entrySet()),
          name + ": network policy selects no pod");
    }
    for (HTTPRoute route : rendered.all(HTTPRoute.class)) {
      route.getSpec().getRules().stream()
          .flatMap(r -> r.getBackendRefs().stream())
          .forEach(
              ref -> {
                Service service = named(rendered.all(Service.class), ref.getName());
                assertEquals(
                    ref.getPort(), service.getSpec().getPorts().get(0).getPort(), ref.getName());
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyContainerHasProbesLimitsAndARestrictedSecurityContext(Profile profile) {
    assertEquals(List.of(), WorkloadChecks.violations(RenderedProfile.load(profile).resources()));
  }

  @Test
  void aContainerThatMayEscalateOrWriteItsRootFilesystemIsReported() {
    Deployment good = RenderedProfile.load(Profile.DEV).all(Deployment.class).get(0);
    Deployment bad = new DeploymentBuilder(good).build();
    var sc = bad.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
    sc.setAllowPrivilegeEscalation(true);
    sc.setReadOnlyRootFilesystem(false);
    bad.getSpec().getTemplate().getSpec().getContainers().get(0).setLivenessProbe(null);
    List<String> found = WorkloadChecks.violations(List.of(bad));
    assertEquals(3, found.size(), found.toString());
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void noRbacRuleHasAWildcardClusterWideSecretsOrAnUnboundedBind(Profile profile) {
    assertEquals(List.of(), RbacChecks.violations(RenderedProfile.load(profile).resources()));
  }

  @Test
  void aWildcardClusterWideSecretReaderAndAnUnnamedBindAreReported() {
    ClusterRole role =
        new ClusterRoleBuilder()
            .withNewMetadata()
            .withName("bad")
            .endMetadata()
            .addNewRule()
            .withApiGroups("")
            .withResources("secrets")
            .withVerbs("get")
            .endRule()
            .addNewRule()
            .withApiGroups("apps")
            .withResources("*")
            .withVerbs("get")
            .endRule()
            .addNewRule()
            .withApiGroups("rbac.authorization.k8s.io")
            .withResources("clusterroles")
            .withVerbs("bind")
            .endRule()
            .build();
    ClusterRoleBinding binding =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName("bad")
            .endMetadata()
            .withNewRoleRef()
            .withKind("ClusterRole")
            .withName("bad")
            .endRoleRef()
            .build();
    assertEquals(3, RbacChecks.violations(List.of(role, binding)).size());
  }

  @Test
  void everyRbacRuleIsPrecededByACommentSayingWhy() {
    for (RenderedProfile.Document doc : RenderedProfile.load(Profile.PRODUCTION).documents()) {
      if (!(doc.resource() instanceof Role) && !(doc.resource() instanceof ClusterRole)) {
        continue;
      }
      List<String> lines = doc.yaml().lines().toList();
      int rules = 0;
      boolean inRules = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.equals("rules:")) {
          inRules = true;
        } else if (inRules && line.startsWith("- ")) {
          rules++;
          assertTrue(
              lines.get(i - 1).startsWith("# "),
              doc.resource().getMetadata().getName() + ": rule without a reason: " + line);
        }
      }
      assertTrue(rules > 0, doc.resource().getMetadata().getName());
    }
  }

  @Test
  void theInManagedNamespaceRolesAreBindableOnlyByTheirOwnService() {
    RenderedProfile rendered = RenderedProfile.load(Profile.PRODUCTION);
    for (String service : List.of("deploy-service", "test-service")) {
      String inManaged = "slipway-" + service + "-in-managed-namespace";
      assertNotNull(named(rendered.all(ClusterRole.class), inManaged));
      ClusterRole cluster = named(rendered.all(ClusterRole.class), "slipway-" + service);
      var bind = cluster.getRules().stream().filter(r -> r.getVerbs().contains("bind")).toList();
      assertEquals(1, bind.size());
      assertEquals(List.of(inManaged), bind.get(0).getResourceNames());
      // In-managed-namespace roles are granted per namespace, never cluster-wide.
      assertTrue(
          rendered.all(ClusterRoleBinding.class).stream()
              .noneMatch(b -> b.getRoleRef().getName().equals(inManaged)));
    }
  }

  @Test
  void everyEventTopicAndDeadLetterTopicHasAKafkaTopicWithItsCompaction() {
    RenderedProfile rendered = RenderedProfile.load(Profile.DEV);
    Map<String, Map<String, Object>> specs = new HashMap<>();
    for (GenericKubernetesResource topic : rendered.generic("KafkaTopic")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) topic.getAdditionalProperties().get("spec");
      specs.put((String) spec.get("topicName"), spec);
    }
    Set<String> expected = new TreeSet<>();
    for (Topic topic : Topic.values()) {
      expected.add(topic.topicName());
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) specs.get(topic.topicName()).get("config");
      assertEquals(topic.compacted() ? "compact" : "delete", config.get("cleanup.policy"));
      assertEquals(Infrastructure.PARTITIONS, specs.get(topic.topicName()).get("partitions"));
    }
    for (String group : ConsumerGroups.all()) {
      expected.add(Topic.deadLetterTopic(group));
    }
    assertEquals(expected, new TreeSet<>(specs.keySet()));
  }

  @Test
  void everyServiceHasAKafkaUserWhoseAclsAreTheTopicsItsCodeProducesAndConsumes() {
    RenderedProfile rendered = RenderedProfile.load(Profile.DEV);
    for (SlipwayService service : SlipwayService.values()) {
      KafkaTraffic traffic = KafkaTraffic.of(RenderedProfile.repository(), service.serviceName());
      GenericKubernetesResource user =
          rendered.generic("KafkaUser").stream()
              .filter(u -> u.getMetadata().getName().equals(service.serviceName()))
              .findFirst()
              .orElseThrow();
      Set<String> read = new HashSet<>();
      Set<String> write = new HashSet<>();
      Set<String> groups = new HashSet<>();
      for (Map<String, Object> acl : acls(user)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
        @SuppressWarnings("unchecked")
        List<String> operations = (List<String>) acl.get("operations");
        String name = (String) resource.get("name");
        if (resource.get("type").equals("group")) {
          groups.add(name + " " + resource.get("patternType") + " " + operations);
        } else if (operations.contains("Read")) {
          read.add(name);
        } else if (operations.contains("Write")) {
          write.add(name);
        }
      }
      assertEquals(traffic.consumes(), new TreeSet<>(read), service + " reads");
      assertEquals(traffic.produces(), new TreeSet<>(write), service + " writes");
      assertEquals(Set.of(service.serviceName() + " prefix [Read]"), groups);
      // Every topic a user may touch has a KafkaTopic.
      Set<String> topics =
          rendered.generic("KafkaTopic").stream()
              .map(t -> (String) spec(t).get("topicName"))
              .collect(Collectors.toSet());
      assertTrue(topics.containsAll(traffic.topics()), service + " " + traffic.topics());
    }
  }

  @Test
  void productionHasNoKafkaOrPostgresOfItsOwnAndReadsThemFromSecrets() {
    RenderedProfile rendered = RenderedProfile.load(Profile.PRODUCTION);
    assertEquals(List.of(), rendered.generic("Kafka"));
    assertEquals(List.of(), rendered.generic("Cluster"));
    for (Deployment d : rendered.all(Deployment.class)) {
      var env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
      var host = env.stream().filter(e -> e.getName().equals("SLIPWAY_DB_HOST")).findFirst();
      assertEquals(
          "slipway-db-" + d.getMetadata().getName(),
          host.orElseThrow().getValueFrom().getSecretKeyRef().getName());
      assertTrue(
          env.stream().noneMatch(e -> e.getName().contains("PASSWORD") && e.getValue() != null));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> acls(GenericKubernetesResource user) {
    Map<String, Object> authorization = (Map<String, Object>) spec(user).get("authorization");
    return (List<Map<String, Object>>) authorization.get("acls");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  private static <T extends HasMetadata> T named(List<T> resources, String name) {
    return resources.stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name));
  }
}

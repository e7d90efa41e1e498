package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each profile, applied object by object in file order to Fabric8's mock API server (CRUD mode),
 * reads back as rendered: what {@code kubectl apply -f k8s/install/<profile>/} would create.
 */
@EnableKubernetesMockClient(crud = true)
class MockClusterApplyTest {

  KubernetesClient client;

  /** Plural of each kind that has no typed model; the mock server does no discovery for them. */
  private static final Map<String, String> PLURALS =
      Map.of(
          "Kafka", "kafkas",
          "KafkaNodePool", "kafkanodepools",
          "KafkaTopic", "kafkatopics",
          "KafkaUser", "kafkausers",
          "Cluster", "clusters",
          "ServiceMonitor", "servicemonitors");

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyObjectOfTheProfileIsCreatedAndReadsBackUnchanged(Profile profile) {
    RenderedProfile rendered = RenderedProfile.load(profile);
    for (HasMetadata resource : rendered.resources()) {
      if (resource instanceof GenericKubernetesResource generic) {
        var created = generic(generic).resource(generic).create();
        assertNotNull(created, generic.getKind());
      } else {
        client.resource(resource).create();
      }
    }
    for (HasMetadata resource : rendered.resources()) {
      HasMetadata stored =
          resource instanceof GenericKubernetesResource generic
              ? generic(generic).withName(generic.getMetadata().getName()).get()
              : client.resource(resource).get();
      assertNotNull(stored, resource.getKind() + " " + resource.getMetadata().getName());
      stored.setMetadata(clientFields(stored.getMetadata()));
      assertEquals(resource, stored, resource.getKind() + " " + resource.getMetadata().getName());
    }
    assertEquals(
        4,
        client.apps().deployments().inNamespace(SlipwayService.NAMESPACE).list().getItems().size());
    assertEquals(
        rendered.all(ClusterRole.class).size(),
        client.rbac().clusterRoles().list().getItems().size());
    assertEquals(
        profile.replicas(),
        client.apps().deployments().inNamespace(SlipwayService.NAMESPACE).list().getItems().stream()
            .map(Deployment::getSpec)
            .map(s -> s.getReplicas())
            .distinct()
            .findFirst()
            .orElseThrow());
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      generic(GenericKubernetesResource resource) {
    String[] apiVersion = resource.getApiVersion().split("/");
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(apiVersion[0])
            .withVersion(apiVersion[1])
            .withKind(resource.getKind())
            .withPlural(PLURALS.get(resource.getKind()))
            .withNamespaced(true)
            .build();
    return client
        .genericKubernetesResources(context)
        .inNamespace(resource.getMetadata().getNamespace());
  }

  /** The metadata as the client sent it: without what the server adds. */
  private static ObjectMeta clientFields(ObjectMeta stored) {
    return new ObjectMetaBuilder(stored)
        .withUid(null)
        .withResourceVersion(null)
        .withCreationTimestamp(null)
        .withGeneration(null)
        .withManagedFields()
        .build();
  }
}

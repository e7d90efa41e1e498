package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.vertx.json.schema.OutputUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every Strimzi and CloudNativePG object of the dev profile fits the CRD its project publishes, so
 * a typo that a real cluster would reject or drop fails the build.
 */
class OperatorSchemasTest {

  @Test
  void everyStrimziAndCloudNativePgObjectMatchesItsProjectsPublishedSchema() {
    RenderedProfile rendered = RenderedProfile.load(Profile.DEV);
    Set<String> kinds =
        rendered.all(GenericKubernetesResource.class).stream()
            .map(GenericKubernetesResource::getKind)
            .filter(CrdSchemas.CRD_FILES::containsKey)
            .collect(Collectors.toSet());
    assertEquals(CrdSchemas.CRD_FILES.keySet(), kinds);
    int checked = 0;
    for (GenericKubernetesResource resource : rendered.all(GenericKubernetesResource.class)) {
      if (!CrdSchemas.CRD_FILES.containsKey(resource.getKind())) {
        continue;
      }
      OutputUnit result = CrdSchemas.validate(resource);
      assertTrue(
          Boolean.TRUE.equals(result.getValid()),
          resource.getKind() + " " + resource.getMetadata().getName() + ": " + result.toJson());
      checked++;
    }
    assertTrue(checked >= 17, "checked " + checked);
  }

  @Test
  void aMisspelledKafkaTopicFieldIsRejected() {
    GenericKubernetesResource topic = first("KafkaTopic");
    Map<String, Object> spec = spec(topic);
    spec.put("partition", spec.remove("partitions"));
    assertFalse(Boolean.TRUE.equals(CrdSchemas.validate(topic).getValid()));
  }

  @Test
  void anAclOperationKafkaDoesNotKnowIsRejected() {
    GenericKubernetesResource user = first("KafkaUser");
    @SuppressWarnings("unchecked")
    Map<String, Object> authorization = (Map<String, Object>) spec(user).get("authorization");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> acls = (List<Map<String, Object>>) authorization.get("acls");
    acls.get(0).put("operations", List.of("Consume"));
    assertFalse(Boolean.TRUE.equals(CrdSchemas.validate(user).getValid()));
  }

  @Test
  void aCloudNativePgRoleWithAnUnknownFieldIsRejected() {
    GenericKubernetesResource cluster = first("Cluster");
    @SuppressWarnings("unchecked")
    Map<String, Object> managed = (Map<String, Object>) spec(cluster).get("managed");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> roles = (List<Map<String, Object>>) managed.get("roles");
    roles.get(0).put("passwordSecretRef", Map.of("name", "x"));
    assertFalse(Boolean.TRUE.equals(CrdSchemas.validate(cluster).getValid()));
  }

  private static GenericKubernetesResource first(String kind) {
    GenericKubernetesResource original = RenderedProfile.load(Profile.DEV).generic(kind).get(0);
    // A deep copy through YAML, so the change stays in this test.
    GenericKubernetesResource copy =
        RenderedProfile.SERIALIZATION.unmarshal(
            RenderedProfile.SERIALIZATION.asYaml(original), GenericKubernetesResource.class);
    return new GenericKubernetesResourceBuilder(copy).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }
}

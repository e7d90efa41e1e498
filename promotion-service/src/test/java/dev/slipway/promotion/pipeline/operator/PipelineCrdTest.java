package dev.slipway.promotion.pipeline.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Pipeline CRD the build generates: committed as generated, with kubectl columns and the status
 * subresource the operator writes through.
 */
class PipelineCrdTest {

  private static final String FILE = "pipelines.slipway.dev-v1.yml";

  private static Path committed() {
    return Path.of(System.getProperty("slipway.crd.committed", "../k8s/crds"), FILE);
  }

  @Test
  void committedCrdIsWhatTheBuildGenerates() throws IOException {
    Path generated = Path.of(System.getProperty("slipway.crd.generated", "../k8s/crds"), FILE);
    assertEquals(
        Files.readString(generated),
        Files.readString(committed()),
        "k8s/crds/" + FILE + " is stale: run a build without CI set and commit the file");
  }

  @Test
  void crdHasPrinterColumnsAndTheStatusSubresource() throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(Files.readString(committed()), CustomResourceDefinition.class);
    assertEquals("pipelines.slipway.dev", crd.getMetadata().getName());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals("Pipeline", crd.getSpec().getNames().getKind());
    CustomResourceDefinitionVersion v1alpha1 = crd.getSpec().getVersions().get(0);
    assertEquals("v1alpha1", v1alpha1.getName());
    assertNotNull(v1alpha1.getSubresources().getStatus(), "status subresource");

    Map<String, String> columns =
        v1alpha1.getAdditionalPrinterColumns().stream()
            .collect(
                Collectors.toMap(
                    CustomResourceColumnDefinition::getName,
                    CustomResourceColumnDefinition::getJsonPath));
    assertEquals(".spec.repositoryUrl", columns.get("Repository"));
    assertEquals(".spec.branch", columns.get("Branch"));
    assertEquals(".status.conditions[?(@.type==\"Ready\")].status", columns.get("Ready"));
    assertEquals(".status.pipelineId", columns.get("Pipeline ID"));
    assertEquals(".metadata.creationTimestamp", columns.get("Age"));

    var spec = v1alpha1.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertTrue(spec.getRequired().contains("repositoryUrl"));
    assertTrue(spec.getProperties().containsKey("webhookSecretRef"));
    var status = v1alpha1.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    assertTrue(
        status
            .getProperties()
            .keySet()
            .containsAll(List.of("pipelineId", "observedGeneration", "conditions")));
  }
}

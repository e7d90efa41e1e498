package dev.slipway.api.v1alpha1;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs the build generates from this module's custom resources: committed as generated, with
 * the kubectl columns people read and the status subresource the operators write through.
 */
class CustomResourceDefinitionsTest {

  private static final String PIPELINES = "pipelines.slipway.dev-v1.yml";
  private static final String REVIEW_APPS = "reviewapps.slipway.dev-v1.yml";

  private static Path committed(String file) {
    return Path.of(System.getProperty("slipway.crd.committed", "../k8s/crds"), file);
  }

  @ParameterizedTest
  @ValueSource(strings = {PIPELINES, REVIEW_APPS})
  void committedCrdIsWhatTheBuildGenerates(String file) throws IOException {
    Path generated = Path.of(System.getProperty("slipway.crd.generated", "../k8s/crds"), file);
    assertEquals(
        Files.readString(generated),
        Files.readString(committed(file)),
        "k8s/crds/" + file + " is stale: run a build without CI set and commit the file");
  }

  @Test
  void pipelineCrdHasPrinterColumnsAndTheStatusSubresource() throws IOException {
    CustomResourceDefinitionVersion v1alpha1 =
        v1alpha1(PIPELINES, "pipelines.slipway.dev", "Pipeline");

    Map<String, String> columns = columns(v1alpha1);
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

  @Test
  void reviewAppCrdHasPrinterColumnsAndTheStatusSubresource() throws IOException {
    CustomResourceDefinitionVersion v1alpha1 =
        v1alpha1(REVIEW_APPS, "reviewapps.slipway.dev", "ReviewApp");

    Map<String, String> columns = columns(v1alpha1);
    assertEquals(".spec.prNumber", columns.get("PR"));
    assertEquals(".status.phase", columns.get("Phase"));
    assertEquals(".status.url", columns.get("URL"));
    assertEquals(".metadata.creationTimestamp", columns.get("Age"));

    var status = v1alpha1.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    assertTrue(
        status
            .getProperties()
            .keySet()
            .containsAll(List.of("phase", "url", "observedGeneration", "conditions")),
        status.getProperties().keySet().toString());
  }

  /** The CRD's only version, after checking its name, scope, kind and status subresource. */
  private static CustomResourceDefinitionVersion v1alpha1(String file, String name, String kind)
      throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(Files.readString(committed(file)), CustomResourceDefinition.class);
    assertEquals(name, crd.getMetadata().getName());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals(kind, crd.getSpec().getNames().getKind());
    CustomResourceDefinitionVersion v1alpha1 = crd.getSpec().getVersions().get(0);
    assertEquals("v1alpha1", v1alpha1.getName());
    assertNotNull(v1alpha1.getSubresources().getStatus(), "status subresource");
    return v1alpha1;
  }

  private static Map<String, String> columns(CustomResourceDefinitionVersion version) {
    return version.getAdditionalPrinterColumns().stream()
        .collect(
            Collectors.toMap(
                CustomResourceColumnDefinition::getName,
                CustomResourceColumnDefinition::getJsonPath));
  }
}

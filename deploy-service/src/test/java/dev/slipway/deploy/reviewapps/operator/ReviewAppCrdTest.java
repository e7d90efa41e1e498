package dev.slipway.deploy.reviewapps.operator;

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
 * The ReviewApp CRD the build generates: committed as generated, with the kubectl columns people
 * read and the status subresource the operator writes through.
 */
class ReviewAppCrdTest {

  private static final String FILE = "reviewapps.slipway.dev-v1.yml";

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
    assertEquals("reviewapps.slipway.dev", crd.getMetadata().getName());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals("ReviewApp", crd.getSpec().getNames().getKind());
    CustomResourceDefinitionVersion v1alpha1 = crd.getSpec().getVersions().get(0);
    assertEquals("v1alpha1", v1alpha1.getName());
    assertNotNull(v1alpha1.getSubresources().getStatus(), "status subresource");

    Map<String, String> columns =
        v1alpha1.getAdditionalPrinterColumns().stream()
            .collect(
                Collectors.toMap(
                    CustomResourceColumnDefinition::getName,
                    CustomResourceColumnDefinition::getJsonPath));
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
}

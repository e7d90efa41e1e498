package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.PipelineCustomResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The committed k8s/install is what the builders render (a CI build renders into target/ and fails
 * here when someone changed a builder without committing the result, or edited a file by hand), and
 * every custom resource class of platform-api has its CRD in k8s/crds and in every profile.
 */
class CommittedManifestsTest {

  private static final Path COMMITTED =
      Path.of(
              System.getProperty(
                  "slipway.install.committed",
                  RenderedProfile.repository().resolve("k8s/install").toString()))
          .toAbsolutePath()
          .normalize();

  @Test
  void theCommittedManifestsAreExactlyWhatTheBuildersRender() throws IOException {
    Map<String, String> rendered =
        new TreeMap<>(
            RenderInstall.render(
                RenderedProfile.repository(), System.getProperty("slipway.version", "latest")));
    Map<String, String> committed = new TreeMap<>();
    try (Stream<Path> files = Files.walk(COMMITTED)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        committed.put(COMMITTED.relativize(file).toString(), Files.readString(file));
      }
    }
    assertEquals(
        rendered.keySet(),
        committed.keySet(),
        "k8s/install differs from the builders: build platform-install and commit k8s/install");
    for (String file : rendered.keySet()) {
      assertEquals(
          rendered.get(file),
          committed.get(file),
          "k8s/install/"
              + file
              + " differs from the builders: rebuild platform-install and commit");
    }
  }

  @Test
  void whatThisBuildRenderedIsWhatIsCommitted() throws IOException {
    Path generated = RenderedProfile.generated();
    try (Stream<Path> files = Files.walk(generated)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path committed = COMMITTED.resolve(generated.relativize(file).toString());
        assertTrue(Files.exists(committed), "not committed: " + committed);
        assertEquals(Files.readString(committed), Files.readString(file), file.toString());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyCustomResourceClassHasItsCrdInK8sCrdsAndInTheProfile(Profile profile) throws Exception {
    List<CustomResourceDefinition> inProfile =
        RenderedProfile.load(profile).all(CustomResourceDefinition.class);
    List<Class<? extends CustomResource<?, ?>>> classes = customResourceClasses();
    assertFalse(classes.isEmpty());
    List<CustomResourceDefinition> committed = new ArrayList<>();
    try (Stream<Path> files = Files.list(RenderedProfile.repository().resolve("k8s/crds"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
        committed.add(
            RenderedProfile.SERIALIZATION.unmarshal(
                Files.readString(file), CustomResourceDefinition.class));
      }
    }
    assertEquals(
        classes.size(), committed.size(), "k8s/crds holds a CRD of no class, or misses one");
    for (Class<? extends CustomResource<?, ?>> type : classes) {
      String name = HasMetadata.getPlural(type) + "." + HasMetadata.getGroup(type);
      CustomResourceDefinition crd =
          committed.stream()
              .filter(c -> c.getMetadata().getName().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError("k8s/crds has no CRD " + name + " of " + type));
      assertEquals(HasMetadata.getKind(type), crd.getSpec().getNames().getKind());
      assertTrue(
          crd.getSpec().getVersions().stream()
              .anyMatch(v -> v.getName().equals(HasMetadata.getVersion(type)) && v.getServed()),
          name + " does not serve " + HasMetadata.getVersion(type));
      assertEquals(
          List.of(crd),
          inProfile.stream().filter(c -> c.getMetadata().getName().equals(name)).toList(),
          profile + " does not carry k8s/crds' " + name);
    }
    assertEquals(committed.size(), inProfile.size());
  }

  /** Every CustomResource subclass in platform-api's v1alpha1 package, found on the classpath. */
  @SuppressWarnings("unchecked")
  private static List<Class<? extends CustomResource<?, ?>>> customResourceClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    String pkg = PipelineCustomResource.class.getPackageName();
    Path root =
        Path.of(
            PipelineCustomResource.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    List<Class<? extends CustomResource<?, ?>>> found = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
        for (Path file : files.toList()) {
          add(found, pkg + "." + file.getFileName().toString().replace(".class", ""));
        }
      }
    } else {
      try (var jar = new java.util.jar.JarFile(root.toFile())) {
        for (var entry : java.util.Collections.list(jar.entries())) {
          String name = entry.getName();
          if (name.startsWith(pkg.replace('.', '/') + "/") && name.endsWith(".class")) {
            add(found, name.replace('/', '.').replace(".class", ""));
          }
        }
      }
    }
    return found;
  }

  @SuppressWarnings("unchecked")
  private static void add(List<Class<? extends CustomResource<?, ?>>> found, String className)
      throws ClassNotFoundException {
    if (className.contains("$")) {
      return;
    }
    Class<?> type = Class.forName(className);
    if (CustomResource.class.isAssignableFrom(type)) {
      found.add((Class<? extends CustomResource<?, ?>>) type);
    }
  }
}

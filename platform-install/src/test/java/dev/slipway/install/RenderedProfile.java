package dev.slipway.install;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The documents of one rendered profile folder, read back as Fabric8 typed objects. */
record RenderedProfile(Profile profile, List<Document> documents) {

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** One YAML document: the file it came from, its text and the object it parses to. */
  record Document(String file, String yaml, HasMetadata resource) {}

  static Path repository() {
    return Path.of(System.getProperty("slipway.repository", "..")).toAbsolutePath().normalize();
  }

  /** The folder the build rendered into (k8s/install, or target/install in CI). */
  static Path generated() {
    return Path.of(
            System.getProperty(
                "slipway.install.generated", repository().resolve("k8s/install").toString()))
        .toAbsolutePath()
        .normalize();
  }

  static RenderedProfile load(Profile profile) {
    return load(profile, generated().resolve(profile.directory()));
  }

  static RenderedProfile load(Profile profile, Path folder) {
    List<Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        for (String yaml : Files.readString(file).split("(?m)^---$")) {
          if (yaml.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
            continue;
          }
          KubernetesResource parsed = SERIALIZATION.unmarshal(yaml);
          if (!(parsed instanceof HasMetadata resource)) {
            throw new AssertionError(file + ": not a Kubernetes object: " + yaml);
          }
          documents.add(new Document(file.getFileName().toString(), yaml, resource));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RenderedProfile(profile, documents);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return documents.stream()
        .map(Document::resource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  List<GenericKubernetesResource> generic(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(g -> g.getKind().equals(kind))
        .toList();
  }

  List<HasMetadata> resources() {
    return documents.stream().map(Document::resource).toList();
  }
}

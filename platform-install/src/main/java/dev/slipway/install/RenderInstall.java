package dev.slipway.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders {@code k8s/install/<profile>/} for every {@link Profile}, the optional Ingress and the
 * Grafana dashboard. Run by the build of platform-install (exec-maven-plugin), with the repository
 * root, the output folder and the image tag as arguments.
 */
public final class RenderInstall {

  /** Beside the profiles, not in them: applied only by who wants it. */
  public static final String OPTIONS = "options";

  public static final String DASHBOARD_FILE = "slipway-grafana-dashboard.json";

  /**
   * kustomize reads a file of this name as well as kustomization.yaml; {@code kubectl apply -f} on
   * the folder skips it, where it would fail on a kustomization.yaml ("no matches for kind
   * Kustomization").
   */
  public static final String KUSTOMIZATION = "Kustomization";

  private RenderInstall() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: RenderInstall <repository> <output> [image-tag]");
    }
    Path repository = Path.of(args[0]).toAbsolutePath().normalize();
    Path output = Path.of(args[1]).toAbsolutePath().normalize();
    String tag = args.length > 2 ? args[2] : "latest";
    // A file no longer rendered must not linger in the folder kubectl applies.
    for (String owned : List.of("dev", "production", OPTIONS)) {
      Path folder = output.resolve(owned);
      if (Files.isDirectory(folder)) {
        try (Stream<Path> old = Files.list(folder)) {
          for (Path file : old.toList()) {
            Files.delete(file);
          }
        }
      }
    }
    for (Map.Entry<String, String> file : render(repository, tag).entrySet()) {
      Path target = output.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** Every rendered file, by its path relative to {@code k8s/install}. */
  public static Map<String, String> render(Path repository, String imageTag) {
    Map<String, String> files = new LinkedHashMap<>();
    for (Profile profile : Profile.values()) {
      List<String> names = new ArrayList<>();
      for (ManifestFile file : profile(repository, profile, imageTag)) {
        files.put(profile.directory() + "/" + file.name(), YamlRendering.render(file));
        names.add(file.name());
      }
      files.put(profile.directory() + "/" + KUSTOMIZATION, kustomization(names));
    }
    files.put(
        OPTIONS + "/ingress.yml",
        YamlRendering.render(
            new ManifestFile(
                "ingress.yml",
                "Optional, instead of the HTTPRoute in <profile>/50-routing.yml.",
                List.of(Networking.ingress()))));
    files.put(DASHBOARD_FILE, Monitoring.dashboard());
    return files;
  }

  /** The files of one profile, in the order kubectl applies them. */
  public static List<ManifestFile> profile(Path repository, Profile profile, String imageTag) {
    List<ManifestFile> files = new ArrayList<>();
    files.add(new ManifestFile("00-namespaces.yml", "Namespaces.", Workloads.namespaces()));
    files.add(
        new ManifestFile(
            "01-crds.yml",
            "Slipway's custom resources, as platform-api generates them into k8s/crds.",
            crds(repository)));
    files.add(
        new ManifestFile(
            "10-rbac.yml",
            "What each service may do in the Kubernetes API, and why (ADR 0015).",
            Permissions.all()));
    files.add(
        new ManifestFile(
            "11-admission-policy.yml",
            "Keeps Slipway's service accounts to the namespaces it manages (needs Kubernetes"
                + " 1.30+).",
            AdmissionPolicy.all()));
    if (profile.inClusterInfrastructure()) {
      files.add(
          new ManifestFile(
              "20-kafka.yml",
              "Kafka through Strimzi (install the Strimzi operator first: docs/operations.md).",
              Infrastructure.kafka(repository)));
      files.add(
          new ManifestFile(
              "21-postgres.yml",
              "PostgreSQL through CloudNativePG (install its operator first:"
                  + " docs/operations.md).",
              Infrastructure.postgres()));
    }
    int n = 30;
    for (SlipwayService service : SlipwayService.values()) {
      files.add(
          new ManifestFile(
              (n++) + "-" + service.serviceName() + ".yml",
              service.serviceName() + ": " + profile.replicas() + " replica(s).",
              Workloads.of(service, profile, imageTag)));
    }
    files.add(
        new ManifestFile(
            "40-network-policies.yml",
            "Ingress to the platform namespace's pods.",
            Networking.networkPolicies(profile)));
    files.add(
        new ManifestFile(
            "50-routing.yml", "The public API and webhooks.", List.of(Networking.httpRoute())));
    files.add(
        new ManifestFile(
            "60-monitoring.yml",
            "Prometheus scraping and the Grafana dashboard.",
            Monitoring.all()));
    return files;
  }

  private static List<Manifest> crds(Path repository) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<Manifest> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(repository.resolve("k8s/crds"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        HasMetadata crd =
            serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
        crds.add(Manifest.of(crd, "From k8s/crds/" + file.getFileName() + "."));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return crds;
  }

  private static String kustomization(List<String> files) {
    StringBuilder out = new StringBuilder();
    out.append("# For teams who patch with Kustomize: kubectl apply -k k8s/install/<profile>/\n");
    out.append(
        "# (a file named Kustomization, so that kubectl apply -f on the folder skips it).\n");
    out.append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
    out.append("kind: Kustomization\n");
    out.append("resources:\n");
    for (String file : files) {
      out.append("- ").append(file).append('\n');
    }
    return out.toString();
  }
}

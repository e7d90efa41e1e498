package dev.slipway.install;

import static dev.slipway.install.SlipwayService.NAMESPACE;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Prometheus ServiceMonitor of the four services and the Grafana dashboard beside it. */
public final class Monitoring {

  /** The dashboard, also rendered as a plain JSON file for importing by hand. */
  public static final String DASHBOARD_RESOURCE = "/grafana/slipway-dashboard.json";

  private Monitoring() {}

  public static List<Manifest> all() {
    return List.of(
        Manifest.of(
            Infrastructure.resource(
                    "monitoring.coreos.com/v1", "ServiceMonitor", "slipway", Map.of())
                .addToAdditionalProperties(
                    "spec",
                    Infrastructure.map(
                        "selector",
                        Infrastructure.map(
                            "matchLabels",
                            Infrastructure.map(
                                "app.kubernetes.io/part-of", "slipway",
                                "app.kubernetes.io/component", "service")),
                        "endpoints",
                        List.of(
                            Infrastructure.map(
                                "port", "http", "path", "/q/metrics", "interval", "30s"))))
                .build(),
            "Needs the Prometheus Operator's CRDs; delete this file where it is not installed."),
        Manifest.of(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("slipway-grafana-dashboard")
                .withNamespace(NAMESPACE)
                .withLabels(
                    new TreeMap<>(
                        Map.of("app.kubernetes.io/part-of", "slipway", "grafana_dashboard", "1")))
                .endMetadata()
                .withData(Map.of("slipway.json", dashboard()))
                .build(),
            "Grafana's dashboard sidecar loads ConfigMaps labelled grafana_dashboard=1."));
  }

  /** The dashboard's JSON text. */
  public static String dashboard() {
    try (InputStream in = Monitoring.class.getResourceAsStream(DASHBOARD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DASHBOARD_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

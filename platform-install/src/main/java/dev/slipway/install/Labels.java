package dev.slipway.install;

import java.util.LinkedHashMap;
import java.util.Map;

/** The recommended labels every rendered object carries. */
public final class Labels {

  /** The label of namespaces Slipway made and may change; the admission policy checks it. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGER = "slipway";

  private Labels() {}

  public static Map<String, String> partOf() {
    return Map.of("app.kubernetes.io/part-of", "slipway");
  }

  /** Labels of a service's objects; {@link #selector} is the subset pods are selected by. */
  public static Map<String, String> of(SlipwayService service) {
    Map<String, String> labels = new LinkedHashMap<>(selector(service));
    labels.put("app.kubernetes.io/part-of", "slipway");
    labels.put("app.kubernetes.io/component", "service");
    return labels;
  }

  public static Map<String, String> selector(SlipwayService service) {
    return Map.of("app.kubernetes.io/name", service.serviceName());
  }
}

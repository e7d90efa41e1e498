package dev.slipway.deploy.runtime.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Iterator;
import java.util.Map;

/**
 * Create-or-replace of objects Slipway owns wholly, from whatever state they are in: missing ones
 * are created, ones that drifted from what Slipway wants are replaced, matching ones left alone.
 */
final class Converge {

  private Converge() {}

  /**
   * Makes {@code desired} exist as it is; true when something was written. An object is left alone
   * when every field Slipway sets has Slipway's value: an API server adds defaults, which are no
   * drift, while an edited or removed field is.
   */
  static <T extends HasMetadata> boolean apply(KubernetesClient client, T desired) {
    T existing = client.resource(desired).get();
    if (existing == null) {
      try {
        client.resource(desired).create();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = client.resource(desired).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    if (matches(client, existing, desired)) {
      return false;
    }
    keepAllocated(existing, desired);
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    client.resource(desired).update();
    return true;
  }

  /** Whether {@code existing} has every field {@code desired} sets, with the same values. */
  static boolean matches(KubernetesClient client, HasMetadata existing, HasMetadata desired) {
    var json = client.getKubernetesSerialization();
    ObjectNode want = json.convertValue(desired, ObjectNode.class);
    ObjectNode have = json.convertValue(existing, ObjectNode.class);
    // Only the labels and annotations of metadata are Slipway's; the rest is the API server's.
    ObjectNode wantMeta = (ObjectNode) want.remove("metadata");
    ObjectNode haveMeta = (ObjectNode) have.path("metadata");
    want.remove("status");
    for (String field : new String[] {"labels", "annotations"}) {
      if (wantMeta != null
          && wantMeta.has(field)
          && !contains(haveMeta.get(field), wantMeta.get(field))) {
        return false;
      }
    }
    return contains(have, want);
  }

  private static boolean contains(JsonNode actual, JsonNode wanted) {
    if (wanted == null || wanted.isNull()) {
      return true;
    }
    if (actual == null || actual.isNull()) {
      return wanted.isObject() && wanted.isEmpty() || wanted.isArray() && wanted.isEmpty();
    }
    if (wanted.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!contains(actual.get(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (wanted.isArray()) {
      if (!actual.isArray() || actual.size() != wanted.size()) {
        return false;
      }
      for (int i = 0; i < wanted.size(); i++) {
        if (!contains(actual.get(i), wanted.get(i))) {
          return false;
        }
      }
      return true;
    }
    return wanted.asText().equals(actual.asText());
  }

  /** A Service's cluster IP is allocated once and immutable; a replace must carry it. */
  private static void keepAllocated(HasMetadata existing, HasMetadata desired) {
    if (existing instanceof Service have && desired instanceof Service want) {
      want.getSpec().setClusterIP(have.getSpec().getClusterIP());
      want.getSpec().setClusterIPs(have.getSpec().getClusterIPs());
    }
  }
}

package dev.slipway.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates Strimzi and CloudNativePG objects against those projects' own CRDs, vendored under
 * {@code src/test/resources/vendored/} with their licence and version. Like a structural schema on
 * a real API server, an object may carry no field its schema does not declare, unless the schema
 * says {@code x-kubernetes-preserve-unknown-fields}; the server would prune such a field, so a typo
 * would silently do nothing.
 */
final class CrdSchemas {

  static final String STRIMZI = "/vendored/strimzi-1.2.0/";
  static final String CNPG = "/vendored/cloudnative-pg-1.30.0/";

  /** Kind, then the vendored CRD that defines it. */
  static final Map<String, String> CRD_FILES =
      Map.of(
          "Kafka", STRIMZI + "040-Crd-kafka.yaml",
          "KafkaTopic", STRIMZI + "043-Crd-kafkatopic.yaml",
          "KafkaUser", STRIMZI + "044-Crd-kafkauser.yaml",
          "KafkaNodePool", STRIMZI + "045-Crd-kafkanodepool.yaml",
          "Cluster", CNPG + "postgresql.cnpg.io_clusters.yaml");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Map<String, Validator> VALIDATORS = new HashMap<>();

  private CrdSchemas() {}

  /** The CRD of a kind, as its project publishes it. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> crd(String kind) {
    String file = CRD_FILES.get(kind);
    if (file == null) {
      throw new AssertionError("no vendored CRD for " + kind);
    }
    try (InputStream in = CrdSchemas.class.getResourceAsStream(file)) {
      return new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Validates an object against its CRD's schema for its apiVersion. */
  static OutputUnit validate(GenericKubernetesResource resource) {
    Validator validator =
        VALIDATORS.computeIfAbsent(
            resource.getApiVersion() + "/" + resource.getKind(), k -> validator(resource));
    JsonObject json = new JsonObject(SERIALIZATION.asJson(resource));
    return validator.validate(json);
  }

  @SuppressWarnings("unchecked")
  private static Validator validator(GenericKubernetesResource resource) {
    Map<String, Object> crd = crd(resource.getKind());
    Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
    String group = (String) spec.get("group");
    Map<String, Object> names = (Map<String, Object>) spec.get("names");
    if (!resource.getKind().equals(names.get("kind"))) {
      throw new AssertionError(resource.getKind() + " is not the kind of " + names);
    }
    for (Map<String, Object> version : (List<Map<String, Object>>) spec.get("versions")) {
      if ((group + "/" + version.get("name")).equals(resource.getApiVersion())
          && Boolean.TRUE.equals(version.get("served"))) {
        Map<String, Object> schema =
            (Map<String, Object>)
                ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
        return Validator.create(
            JsonSchema.of(new JsonObject(structural(schema))),
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT7)
                .setBaseUri("https://slipway.dev/vendored/")
                .setOutputFormat(OutputFormat.Basic));
      }
    }
    throw new AssertionError(
        resource.getApiVersion() + " is not served by the vendored CRD of " + resource.getKind());
  }

  /**
   * A copy of an OpenAPI v3 schema in which every object schema that lists properties refuses
   * others, as the API server's pruning does, unless it preserves unknown fields or declares {@code
   * additionalProperties} itself.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> structural(Map<String, Object> schema) {
    Map<String, Object> copy = new HashMap<>();
    for (Map.Entry<String, Object> e : schema.entrySet()) {
      Object value = e.getValue();
      if (e.getKey().equals("properties") && value instanceof Map<?, ?> properties) {
        Map<String, Object> children = new HashMap<>();
        for (Map.Entry<String, Object> p : ((Map<String, Object>) properties).entrySet()) {
          children.put(p.getKey(), structural((Map<String, Object>) p.getValue()));
        }
        value = children;
      } else if ((e.getKey().equals("items") || e.getKey().equals("additionalProperties"))
          && value instanceof Map<?, ?> child) {
        value = structural((Map<String, Object>) child);
      } else if ((e.getKey().equals("oneOf")
              || e.getKey().equals("anyOf")
              || e.getKey().equals("allOf"))
          && value instanceof List<?> list) {
        value =
            list.stream()
                .map(s -> (Object) structural((Map<String, Object>) s))
                .collect(Collectors.toList());
      }
      copy.put(e.getKey(), value);
    }
    boolean preserves = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
    if (schema.containsKey("properties")
        && !preserves
        && !schema.containsKey("additionalProperties")) {
      copy.put("additionalProperties", false);
    }
    return copy;
  }
}

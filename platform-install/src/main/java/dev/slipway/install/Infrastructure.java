package dev.slipway.install;

import static dev.slipway.install.SlipwayService.NAMESPACE;

import dev.slipway.events.ConsumerGroups;
import dev.slipway.events.Topic;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka and PostgreSQL of the dev profile, as Strimzi and CloudNativePG resources: a KRaft Kafka
 * with one node pool, a KafkaTopic per topic, a KafkaUser per service with the ACLs its code needs,
 * and a PostgreSQL cluster with one login role and schema per service (ADR 0011).
 */
public final class Infrastructure {

  public static final String KAFKA_CLUSTER = "slipway";
  public static final String POSTGRES_CLUSTER = "slipway-postgres";
  public static final String DATABASE = "slipway";

  /**
   * Secret the operator creates in both profiles: keys {@code secrets-key}, {@code admin-token}.
   */
  public static final String PLATFORM_SECRET = "slipway-platform";

  static final String STRIMZI = "kafka.strimzi.io/v1";
  static final String CNPG = "postgresql.cnpg.io/v1";

  /** Partitions of every event topic: the most replicas of a service that share the work. */
  static final int PARTITIONS = 6;

  private Infrastructure() {}

  /** The database credentials of a service: dev keys username, password; production adds host. */
  public static String databaseSecret(SlipwayService service) {
    return "slipway-db-" + service.serviceName();
  }

  /** The production Kafka connection of a service (bootstrap, protocol, mechanism, JAAS). */
  public static String kafkaSecret(SlipwayService service) {
    return "slipway-kafka-" + service.serviceName();
  }

  /** The Strimzi resources of the dev profile. */
  public static List<Manifest> kafka(Path repository) {
    List<Manifest> all = new ArrayList<>();
    all.add(
        Manifest.of(
            resource(
                    STRIMZI,
                    "KafkaNodePool",
                    "dual-role",
                    Map.of("strimzi.io/cluster", KAFKA_CLUSTER))
                .addToAdditionalProperties(
                    "spec",
                    map(
                        "replicas", 1,
                        "roles", List.of("controller", "broker"),
                        "storage",
                            map(
                                "type",
                                "persistent-claim",
                                "size",
                                "10Gi",
                                "deleteClaim",
                                false,
                                "kraftMetadata",
                                "shared"),
                        "resources",
                            map(
                                "requests", map("cpu", "250m", "memory", "1Gi"),
                                "limits", map("cpu", "1", "memory", "1Gi"))))
                .build(),
            "One node, controller and broker (KRaft). Production: an external Kafka (README)."));
    all.add(
        Manifest.of(
            resource(STRIMZI, "Kafka", KAFKA_CLUSTER, Map.of())
                .addToAdditionalProperties(
                    "spec",
                    map(
                        "kafka",
                            map(
                                "listeners",
                                List.of(
                                    map(
                                        "name",
                                        "plain",
                                        "port",
                                        9092,
                                        "type",
                                        "internal",
                                        "tls",
                                        false,
                                        "authentication",
                                        map("type", "scram-sha-512"))),
                                "authorization",
                                map("type", "simple"),
                                "config",
                                map(
                                    "offsets.topic.replication.factor", 1,
                                    "transaction.state.log.replication.factor", 1,
                                    "transaction.state.log.min.isr", 1,
                                    "default.replication.factor", 1,
                                    "min.insync.replicas", 1,
                                    // Topics exist before services start; clients never create
                                    // them.
                                    "auto.create.topics.enable", false)),
                        "entityOperator", map("topicOperator", map(), "userOperator", map())))
                .build(),
            "SCRAM-SHA-512 on the internal listener; ACLs (authorization simple) from the"
                + " KafkaUsers below."));
    for (Topic topic : Topic.values()) {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("cleanup.policy", topic.compacted() ? "compact" : "delete");
      if (!topic.compacted()) {
        config.put("retention.ms", 7L * 24 * 3600 * 1000);
      }
      all.add(Manifest.of(topic(topic.topicName(), PARTITIONS, config)));
    }
    for (String group : ConsumerGroups.all()) {
      all.add(
          Manifest.of(
              topic(
                  Topic.deadLetterTopic(group),
                  1,
                  map("cleanup.policy", "delete", "retention.ms", 30L * 24 * 3600 * 1000)),
              "Dead letters of " + group + ", kept 30 days for inspection."));
    }
    for (SlipwayService service : SlipwayService.values()) {
      KafkaTraffic traffic = KafkaTraffic.of(repository, service.serviceName());
      all.add(
          Manifest.of(
              resource(
                      STRIMZI,
                      "KafkaUser",
                      service.serviceName(),
                      Map.of("strimzi.io/cluster", KAFKA_CLUSTER))
                  .addToAdditionalProperties(
                      "spec",
                      map(
                          "authentication", map("type", "scram-sha-512"),
                          "authorization", map("type", "simple", "acls", acls(traffic))))
                  .build(),
              "ACLs read off "
                  + service.serviceName()
                  + "'s code (KafkaTraffic): its incoming channels, the topics of the events it"
                  + " writes, its dead-letter topic."));
    }
    return all;
  }

  /** The ACL entries of a service: Read on what it consumes, Write on what it produces. */
  static List<Map<String, Object>> acls(KafkaTraffic traffic) {
    List<Map<String, Object>> acls = new ArrayList<>();
    for (String topic : traffic.consumes()) {
      acls.add(acl("topic", topic, "literal", "Read", "Describe"));
    }
    for (String topic : traffic.produces()) {
      acls.add(acl("topic", topic, "literal", "Write", "Describe"));
    }
    // Group ids start with the service name (static membership adds the instance id).
    acls.add(acl("group", traffic.group(), "prefix", "Read"));
    return acls;
  }

  /** The CloudNativePG cluster of the dev profile. */
  public static List<Manifest> postgres() {
    List<Map<String, Object>> roles = new ArrayList<>();
    List<String> statements = new ArrayList<>();
    statements.add("REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
    for (SlipwayService service : SlipwayService.values()) {
      String role = service.databaseRole();
      // Created here without login so the schema can belong to it; managed.roles below turns
      // login on and sets the password from the service's Secret.
      statements.add("CREATE ROLE " + role + " NOLOGIN");
      statements.add("GRANT CONNECT ON DATABASE " + DATABASE + " TO " + role);
      statements.add("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
      boolean addons = service == SlipwayService.TEST || service == SlipwayService.DEPLOY;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", role);
      r.put("ensure", "present");
      r.put("login", true);
      // The heroku-postgresql add-on makes a database and role per app (ADR 0011).
      r.put("createdb", addons);
      r.put("createrole", addons);
      r.put("passwordSecret", map("name", databaseSecret(service)));
      roles.add(r);
    }
    return List.of(
        Manifest.of(
            resource(CNPG, "Cluster", POSTGRES_CLUSTER, Map.of())
                .addToAdditionalProperties(
                    "spec",
                    map(
                        "instances", 1,
                        "storage", map("size", "10Gi"),
                        "bootstrap",
                            map(
                                "initdb",
                                map(
                                    "database", DATABASE,
                                    "owner", DATABASE,
                                    "postInitApplicationSQL", statements)),
                        "managed", map("roles", roles),
                        "resources",
                            map(
                                "requests", map("cpu", "250m", "memory", "512Mi"),
                                "limits", map("cpu", "1", "memory", "512Mi"))))
                .build(),
            "One instance. Login roles build_service, test_service, deploy_service and"
                + " promotion_service take their passwords from the Secrets slipway-db-<service>"
                + " (type kubernetes.io/basic-auth), which the operator creates."));
  }

  private static GenericKubernetesResource topic(
      String name, int partitions, Map<String, Object> config) {
    return resource(
            STRIMZI,
            "KafkaTopic",
            name.replace('.', '-'),
            Map.of("strimzi.io/cluster", KAFKA_CLUSTER))
        .addToAdditionalProperties(
            "spec",
            map("topicName", name, "partitions", partitions, "replicas", 1, "config", config))
        .build();
  }

  private static Map<String, Object> acl(
      String type, String name, String pattern, String... operations) {
    return map(
        "resource",
        map("type", type, "name", name, "patternType", pattern),
        "operations",
        List.of(operations));
  }

  static GenericKubernetesResourceBuilder resource(
      String apiVersion, String kind, String name, Map<String, String> extraLabels) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.partOf());
    labels.putAll(extraLabels);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .withLabels(labels)
        .endMetadata();
  }

  /** An insertion-ordered map, so the rendered YAML keeps the order written here. */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}

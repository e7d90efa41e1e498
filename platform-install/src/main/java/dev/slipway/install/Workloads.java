package dev.slipway.install;

import static dev.slipway.install.SlipwayService.NAMESPACE;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per service: ServiceAccount, Deployment, Service and PodDisruptionBudget; and the namespaces. */
public final class Workloads {

  /** The user Quarkus' Jib images run as (the base image's non-root user). */
  static final long RUN_AS_USER = 185L;

  /** The one writable directory besides /tmp: the service's data directory. */
  static final String DATA_DIR = "/var/lib/slipway";

  private Workloads() {}

  /** The platform namespace (Pod Security "restricted") and the builds namespace. */
  public static List<Manifest> namespaces() {
    // Sorted maps throughout: Map.of's order changes from one JVM run to the next.
    Map<String, String> restricted =
        new TreeMap<>(
            Map.of(
                "app.kubernetes.io/part-of", "slipway",
                "pod-security.kubernetes.io/enforce", "restricted"));
    return List.of(
        Manifest.of(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .withLabels(restricted)
                .endMetadata()
                .build(),
            "The platform namespace. Not labelled app.kubernetes.io/managed-by=slipway: the",
            "services may not change or delete it (ValidatingAdmissionPolicy"
                + " slipway-managed-namespaces)."),
        Manifest.of(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(SlipwayService.BUILDS_NAMESPACE)
                .withLabels(restricted)
                .endMetadata()
                .build(),
            "build-service's Jobs run here (docs/kubernetes-builds.md); build pods are non-root and"
                + " meet Pod Security restricted."));
  }

  /** The objects of one service in a profile. */
  public static List<Manifest> of(SlipwayService service, Profile profile, String imageTag) {
    String name = service.serviceName();
    Map<String, String> labels = Labels.of(service);
    List<Manifest> all = new ArrayList<>();
    all.add(
        Manifest.of(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .build()));
    all.add(
        Manifest.of(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withReplicas(profile.replicas())
                .withNewSelector()
                .withMatchLabels(Labels.selector(service))
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0))
                .withMaxSurge(new IntOrString(1))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(name)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(30L)
                .withTopologySpreadConstraints(spread(service, profile))
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withFsGroup(RUN_AS_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(
                    new ContainerBuilder()
                        .withName(name)
                        .withImage(Images.reference(service, imageTag))
                        .withImagePullPolicy("IfNotPresent")
                        .addNewPort()
                        .withName("http")
                        .withContainerPort(service.port())
                        .withProtocol("TCP")
                        .endPort()
                        .withEnv(env(service, profile))
                        .withNewResources()
                        .withRequests(
                            new TreeMap<>(
                                Map.of(
                                    "cpu", new Quantity(profile.cpuRequest()),
                                    "memory", new Quantity(profile.memoryRequest()))))
                        .withLimits(
                            new TreeMap<>(
                                Map.of(
                                    "cpu", new Quantity(profile.cpuLimit()),
                                    "memory", new Quantity(profile.memoryLimit()))))
                        .endResources()
                        .withStartupProbe(probe("/q/health/started", 5, 60))
                        .withLivenessProbe(probe("/q/health/live", 10, 3))
                        .withReadinessProbe(probe("/q/health/ready", 5, 3))
                        .withNewSecurityContext()
                        .withAllowPrivilegeEscalation(false)
                        .withReadOnlyRootFilesystem(true)
                        .withRunAsNonRoot(true)
                        .withPrivileged(false)
                        .withNewCapabilities()
                        .withDrop("ALL")
                        .endCapabilities()
                        .endSecurityContext()
                        .addNewVolumeMount()
                        .withName("tmp")
                        .withMountPath("/tmp")
                        .endVolumeMount()
                        .addNewVolumeMount()
                        .withName("data")
                        .withMountPath(DATA_DIR)
                        .endVolumeMount()
                        .build())
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity("256Mi"))
                .endEmptyDir()
                .endVolume()
                .addNewVolume()
                .withName("data")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity("2Gi"))
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build(),
            "Writable: /tmp and " + DATA_DIR + " (emptyDir); the root filesystem is read-only."));
    all.add(
        Manifest.of(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.selector(service))
                .addNewPort()
                .withName("http")
                .withPort(service.port())
                .withTargetPort(new IntOrString("http"))
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build()));
    all.add(
        Manifest.of(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .withMatchLabels(Labels.selector(service))
                .endSelector()
                .endSpec()
                .build(),
            "A drain takes at most one replica at a time; with one replica (dev) it is not"
                + " blocked."));
    return all;
  }

  private static List<TopologySpreadConstraint> spread(SlipwayService service, Profile profile) {
    List<TopologySpreadConstraint> constraints = new ArrayList<>();
    constraints.add(spreadOver("kubernetes.io/hostname", service, profile));
    if (profile == Profile.PRODUCTION) {
      constraints.add(spreadOver("topology.kubernetes.io/zone", service, profile));
    }
    return constraints;
  }

  private static TopologySpreadConstraint spreadOver(
      String key, SlipwayService service, Profile profile) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(key)
        // A small cluster (or one zone) must still schedule every replica.
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector()
        .withMatchLabels(Labels.selector(service))
        .endLabelSelector()
        .build();
  }

  private static Probe probe(String path, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(3)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static List<EnvVar> env(SlipwayService service, Profile profile) {
    String name = service.serviceName();
    List<EnvVar> env = new ArrayList<>();
    env.add(value("QUARKUS_HTTP_HOST", "0.0.0.0"));
    env.add(value("SLIPWAY_DATA_DIR", DATA_DIR));
    env.add(value("SLIPWAY_LOG_JSON", "true"));
    env.add(value("JAVA_OPTS_APPEND", "-XX:MaxRAMPercentage=75"));
    // The pod's name tells replicas apart (Kafka static membership, lease holder identity).
    env.add(
        new EnvVarBuilder()
            .withName("SLIPWAY_KAFKA_INSTANCE_ID")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build());
    // Operators and sweepers run on the replica holding the Lease slipway-<service>-<job> (ADR
    // 0016).
    env.add(value("SLIPWAY_LEADER_ELECTION_MODE", "kubernetes"));
    env.add(value("SLIPWAY_LEADER_ELECTION_NAMESPACE", NAMESPACE));
    if (service == SlipwayService.DEPLOY) {
      // Apps' HTTPRoutes attach to the same Gateway as the platform's, whose proxies the apps'
      // NetworkPolicies must let in.
      env.add(value("SLIPWAY_RUNTIME_KUBERNETES_GATEWAY_NAME", Networking.GATEWAY));
      env.add(value("SLIPWAY_RUNTIME_KUBERNETES_GATEWAY_NAMESPACE", Networking.GATEWAY_NAMESPACE));
      env.add(
          value(
              "SLIPWAY_RUNTIME_KUBERNETES_ISOLATION_INGRESS_NAMESPACE",
              Networking.GATEWAY_NAMESPACE));
    }
    env.add(secret("SLIPWAY_SECRETS_KEY", Infrastructure.PLATFORM_SECRET, "secrets-key"));
    env.add(secret("SLIPWAY_AUTH_ADMIN_TOKEN", Infrastructure.PLATFORM_SECRET, "admin-token"));
    if (profile.inClusterInfrastructure()) {
      env.add(value("SLIPWAY_DB_HOST", Infrastructure.POSTGRES_CLUSTER + "-rw." + NAMESPACE));
      env.add(
          secret(
              "QUARKUS_DATASOURCE_USERNAME", Infrastructure.databaseSecret(service), "username"));
      env.add(
          secret(
              "QUARKUS_DATASOURCE_PASSWORD", Infrastructure.databaseSecret(service), "password"));
      env.add(
          value(
              "KAFKA_BOOTSTRAP_SERVERS",
              Infrastructure.KAFKA_CLUSTER + "-kafka-bootstrap." + NAMESPACE + ":9092"));
      env.add(value("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"));
      env.add(value("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));
      // Strimzi's User Operator writes the JAAS line into the Secret named after the KafkaUser.
      env.add(secret("KAFKA_SASL_JAAS_CONFIG", name, "sasl.jaas.config"));
    } else {
      String db = Infrastructure.databaseSecret(service);
      env.add(secret("SLIPWAY_DB_HOST", db, "host"));
      env.add(secret("SLIPWAY_DB_PORT", db, "port"));
      env.add(secret("SLIPWAY_DB_NAME", db, "database"));
      env.add(secret("QUARKUS_DATASOURCE_USERNAME", db, "username"));
      env.add(secret("QUARKUS_DATASOURCE_PASSWORD", db, "password"));
      String kafka = Infrastructure.kafkaSecret(service);
      env.add(secret("KAFKA_BOOTSTRAP_SERVERS", kafka, "bootstrap-servers"));
      env.add(secret("KAFKA_SECURITY_PROTOCOL", kafka, "security-protocol"));
      env.add(secret("KAFKA_SASL_MECHANISM", kafka, "sasl-mechanism"));
      env.add(secret("KAFKA_SASL_JAAS_CONFIG", kafka, "sasl-jaas-config"));
    }
    return env;
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .withOptional(false)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}

package dev.slipway.deploy.runtime.kubernetes;

import dev.slipway.apps.process.AppProfile;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings.Routing;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An app's release as Kubernetes objects in its namespace, and how their rollout stands: a Secret
 * {@code config-v<n>} with its config vars, a Deployment per process type, and for {@code web} a
 * Service and an HTTPRoute (or an Ingress, as configured). Shared by the runtime (staging and
 * production apps) and the ReviewApp operator, so a review app runs exactly as any other app does.
 *
 * <p>Over 500 lines because each object is declared field by field, as the tests assert them.
 */
public final class AppWorkloads {

  public static final String APP_LABEL = "slipway.dev/app";
  public static final String TYPE_LABEL = "slipway.dev/process-type";
  public static final String RELEASE_LABEL = "slipway.dev/release";
  public static final String CONFIG_CHECKSUM = "slipway.dev/config-checksum";
  public static final String WEB = "web";
  public static final String HTTP = "http";
  public static final int PORT = 8080;
  public static final int SERVICE_PORT = 80;

  /** What the launcher of a Cloud Native Buildpacks image runs a Procfile command with. */
  public static final String LAUNCHER = "/cnb/lifecycle/launcher";

  private static final String RELEASE_TYPE = "release";
  private static final String CONFIG_PREFIX = "config-v";

  private final KubernetesClient client;
  private final KubernetesRuntimeSettings settings;

  public AppWorkloads(KubernetesClient client, KubernetesRuntimeSettings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * One release of an app to run in {@code namespace}.
   *
   * @param formation how many of each process type; a type missing runs {@code web=1}, others 0
   */
  public record Workload(
      String namespace,
      String app,
      int version,
      String image,
      Map<String, String> config,
      Map<String, String> processTypes,
      Map<String, Integer> formation) {
    public Workload {
      config = Map.copyOf(config);
      processTypes = Map.copyOf(processTypes);
      formation = Map.copyOf(formation);
    }

    /** How many processes of each runnable type (never {@code release}). */
    public Map<String, Integer> replicas() {
      Map<String, Integer> result = new TreeMap<>();
      for (String type : processTypes.keySet()) {
        if (!RELEASE_TYPE.equals(type)) {
          result.put(type, formation.getOrDefault(type, WEB.equals(type) ? 1 : 0));
        }
      }
      return result;
    }

    public boolean hasWeb() {
      return processTypes.containsKey(WEB);
    }
  }

  /**
   * Makes the release's objects exist as they should, from any state; Deployments of process types
   * the release no longer has are deleted. True when anything was written.
   */
  public boolean apply(Workload w) {
    boolean changed = Converge.apply(client, configSecret(w));
    Map<String, Integer> replicas = w.replicas();
    for (Map.Entry<String, Integer> type : replicas.entrySet()) {
      changed |= Converge.apply(client, deployment(w, type.getKey(), type.getValue()));
    }
    for (Deployment d : deployments(w.namespace(), w.app())) {
      if (!replicas.containsKey(d.getMetadata().getLabels().get(TYPE_LABEL))) {
        client.resource(d).delete();
        changed = true;
      }
    }
    boolean routed = settings.routing().kind() == Routing.Kind.HTTP_ROUTE;
    if (w.hasWeb()) {
      changed |= Converge.apply(client, service(w));
      changed |= Converge.apply(client, routed ? httpRoute(w) : ingress(w));
    } else {
      changed |= !client.services().inNamespace(w.namespace()).withName(WEB).delete().isEmpty();
    }
    // What no longer exposes web: everything without a web process, the other kind after a switch.
    if (!w.hasWeb() || routed) {
      changed |= deleteIngress(w.namespace());
    }
    if (!w.hasWeb() || !routed) {
      changed |= deleteHttpRoute(w.namespace());
    }
    return changed;
  }

  /** The host web is reachable at in {@code namespace}, from its HTTPRoute or Ingress. */
  public Optional<String> host(String namespace) {
    if (settings.routing().kind() == Routing.Kind.HTTP_ROUTE) {
      HTTPRoute route =
          client.resources(HTTPRoute.class).inNamespace(namespace).withName(WEB).get();
      return Optional.ofNullable(route)
          .map(HTTPRoute::getSpec)
          .map(HTTPRouteSpec::getHostnames)
          .filter(hosts -> !hosts.isEmpty())
          .map(hosts -> hosts.get(0));
    }
    Ingress ingress = client.network().v1().ingresses().inNamespace(namespace).withName(WEB).get();
    if (ingress == null
        || ingress.getSpec() == null
        || ingress.getSpec().getRules() == null
        || ingress.getSpec().getRules().isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(ingress.getSpec().getRules().get(0).getHost());
  }

  private boolean deleteIngress(String namespace) {
    return !client
        .network()
        .v1()
        .ingresses()
        .inNamespace(namespace)
        .withName(WEB)
        .delete()
        .isEmpty();
  }

  private boolean deleteHttpRoute(String namespace) {
    try {
      return !client
          .resources(HTTPRoute.class)
          .inNamespace(namespace)
          .withName(WEB)
          .delete()
          .isEmpty();
    } catch (KubernetesClientException e) {
      // In Ingress mode a cluster may lack the Gateway API, or Slipway the right to its routes:
      // then there is no HTTPRoute of Slipway's to delete either.
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND
          || e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
        return false;
      }
      throw e;
    }
  }

  /** The Secret holding the release's config vars, which the processes get as environment. */
  public Secret configSecret(Workload w) {
    Map<String, String> data = new TreeMap<>();
    w.config()
        .forEach(
            (k, v) ->
                data.put(
                    k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Map<String, String> labels = labels(w.app());
    labels.put(RELEASE_LABEL, Integer.toString(w.version()));
    return new SecretBuilder()
        .withMetadata(meta(configSecretName(w.version()), w.namespace(), labels))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  public static String configSecretName(int version) {
    return CONFIG_PREFIX + version;
  }

  /** The Deployment of one process type. */
  public Deployment deployment(Workload w, String type, int replicas) {
    Map<String, String> selector = selector(w.app(), type);
    Map<String, String> podLabels = new LinkedHashMap<>(labels(w.app()));
    podLabels.put(TYPE_LABEL, type);
    podLabels.put(RELEASE_LABEL, Integer.toString(w.version()));
    Map<String, String> annotations = new TreeMap<>();
    // The Secret's name changes with every release, but a config change of one release would not
    // roll the pods: the checksum in the template does.
    annotations.put(CONFIG_CHECKSUM, checksum(w.config()));
    PodSpec pod =
        podSpec(
            container(
                    type,
                    w.image(),
                    w.processTypes().get(type),
                    configSecretName(w.version()),
                    environment(type, w.version()))
                .build(),
            WEB.equals(type));
    return new DeploymentBuilder()
        .withMetadata(meta(type, w.namespace(), podLabels))
        .withNewSpec()
        .withReplicas(replicas)
        .withRevisionHistoryLimit(5)
        .withProgressDeadlineSeconds((int) settings.progressDeadline().toSeconds())
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        // The old pods serve until the new ones are ready; a release that never gets ready
        // leaves them serving.
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The web Service: port 80 to the web processes' {@code $PORT}. */
  public Service service(Workload w) {
    return new ServiceBuilder()
        .withMetadata(meta(WEB, w.namespace(), labels(w.app())))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector(w.app(), WEB))
        .addNewPort()
        .withName(HTTP)
        .withProtocol("TCP")
        .withPort(SERVICE_PORT)
        .withTargetPort(new IntOrString(HTTP))
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * The web HTTPRoute: the app's host from the host pattern, attached to the configured Gateway
   * (and listener), every path to the web Service.
   */
  public HTTPRoute httpRoute(Workload w) {
    Routing routing = settings.routing();
    return new HTTPRouteBuilder()
        .withMetadata(meta(WEB, w.namespace(), labels(w.app())))
        .withNewSpec()
        .addNewParentRef()
        .withGroup("gateway.networking.k8s.io")
        .withKind("Gateway")
        .withName(routing.gatewayName())
        .withNamespace(routing.gatewayNamespace())
        .withSectionName(
            routing.gatewaySectionName().isEmpty() ? null : routing.gatewaySectionName())
        .endParentRef()
        .withHostnames(settings.host(w.app()))
        .addNewRule()
        .addNewMatch()
        .withNewPath()
        .withType("PathPrefix")
        .withValue("/")
        .endPath()
        .endMatch()
        .addNewBackendRef()
        .withName(WEB)
        .withPort(SERVICE_PORT)
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }

  /** The web Ingress: the app's host from the host pattern, through the configured class. */
  public Ingress ingress(Workload w) {
    IngressBuilder ingress =
        new IngressBuilder().withMetadata(meta(WEB, w.namespace(), labels(w.app())));
    var spec = ingress.withNewSpec();
    if (!settings.ingressClass().isEmpty()) {
      spec.withIngressClassName(settings.ingressClass());
    }
    return spec.addNewRule()
        .withHost(settings.host(w.app()))
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(WEB)
        .withNewPort()
        .withName(HTTP)
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .endRule()
        .endSpec()
        .build();
  }

  /**
   * A locked-down pod: no service-account token, no service links, non-root with the runtime's
   * seccomp profile, every capability dropped; Pod Security {@code restricted} admits it.
   */
  public PodSpec podSpec(Container container, boolean web) {
    Container locked =
        new ContainerBuilder(container)
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .build();
    if (web) {
      locked.setPorts(
          List.of(
              new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                  .withName(HTTP)
                  .withContainerPort(PORT)
                  .withProtocol("TCP")
                  .build()));
      // Heroku's boot timeout: 60 s to bind $PORT, then readiness and liveness take over.
      locked.setStartupProbe(tcpProbe(5, 12));
      locked.setReadinessProbe(tcpProbe(5, 3));
      locked.setLivenessProbe(tcpProbe(10, 3));
    }
    return new PodSpecBuilder()
        .withServiceAccountName(EphemeralNamespaces.APP_SERVICE_ACCOUNT)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(locked)
        .build();
  }

  /**
   * A process container: the Procfile command through the image's launcher, after the app's {@code
   * .profile.d} (which the launcher itself does not source).
   */
  public ContainerBuilder container(
      String name, String image, String command, String configSecret, List<EnvVar> env) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withCommand(LAUNCHER)
        .withArgs(AppProfile.inline(command))
        .addNewEnvFrom()
        .withNewSecretRef()
        .withName(configSecret)
        .endSecretRef()
        .endEnvFrom()
        .withEnv(env)
        .withResources(resources());
  }

  /** What the platform sets itself, after the config vars, as Heroku does. */
  public static List<EnvVar> environment(String dyno, int version) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("PORT", Integer.toString(PORT), null));
    env.add(new EnvVar("DYNO", dyno, null));
    env.add(new EnvVar("SLIPWAY_RELEASE_VERSION", "v" + version, null));
    return env;
  }

  private ResourceRequirements resources() {
    KubernetesRuntimeSettings.Resources r = settings.resources();
    ResourceRequirementsBuilder b =
        new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity(r.requestCpu()))
            .addToRequests("memory", new Quantity(r.requestMemory()));
    if (r.limitCpu() != null && !r.limitCpu().isBlank()) {
      b.addToLimits("cpu", new Quantity(r.limitCpu()));
    }
    if (r.limitMemory() != null && !r.limitMemory().isBlank()) {
      b.addToLimits("memory", new Quantity(r.limitMemory()));
    }
    return b.build();
  }

  private static Probe tcpProbe(int period, int failures) {
    return new ProbeBuilder()
        .withNewTcpSocket()
        .withPort(new IntOrString(HTTP))
        .endTcpSocket()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(1)
        .withFailureThreshold(failures)
        .build();
  }

  /** The app's Deployments, by process type. */
  public List<Deployment> deployments(String namespace, String app) {
    return client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withLabel(EphemeralNamespaces.MANAGED_BY, EphemeralNamespaces.MANAGER)
        .withLabel(APP_LABEL, app)
        .list()
        .getItems();
  }

  /** The app's pods, of every process type and release. */
  public List<Pod> pods(String namespace, String app) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(APP_LABEL, app)
        .withLabel(TYPE_LABEL)
        .list()
        .getItems();
  }

  /** Sets how many processes of each type run; absent types run none. */
  public void scale(String namespace, String app, Map<String, Integer> formation) {
    for (Deployment d : deployments(namespace, app)) {
      String type = d.getMetadata().getLabels().get(TYPE_LABEL);
      int wanted = formation.getOrDefault(type, 0);
      if (!Objects.equals(d.getSpec().getReplicas(), wanted)) {
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withName(d.getMetadata().getName())
            .edit(x -> new DeploymentBuilder(x).editSpec().withReplicas(wanted).endSpec().build());
      }
    }
  }

  /**
   * Puts back the Deployments as they were before a deploy ({@code kubectl rollout undo}, with the
   * replica counts too), and deletes the ones the deploy added.
   */
  public void rollBack(String namespace, String app, List<Deployment> before) {
    Map<String, Deployment> previous = new LinkedHashMap<>();
    before.forEach(d -> previous.put(d.getMetadata().getName(), d));
    for (Deployment now : deployments(namespace, app)) {
      Deployment old = previous.get(now.getMetadata().getName());
      if (old == null) {
        client.resource(now).delete();
        continue;
      }
      client
          .apps()
          .deployments()
          .inNamespace(namespace)
          .withName(now.getMetadata().getName())
          .edit(
              x -> {
                x.getMetadata().setLabels(old.getMetadata().getLabels());
                x.getSpec().setTemplate(old.getSpec().getTemplate());
                x.getSpec().setReplicas(old.getSpec().getReplicas());
                return x;
              });
    }
  }

  /** Deletes config Secrets of releases no Deployment or rollback needs any more. */
  public void pruneConfigSecrets(String namespace, String app, Set<Integer> keep) {
    for (Secret s :
        client
            .secrets()
            .inNamespace(namespace)
            .withLabel(APP_LABEL, app)
            .withLabel(RELEASE_LABEL)
            .list()
            .getItems()) {
      String name = s.getMetadata().getName();
      String version = s.getMetadata().getLabels().get(RELEASE_LABEL);
      if (name.startsWith(CONFIG_PREFIX) && !keep.contains(parse(version))) {
        client.resource(s).delete();
      }
    }
  }

  /**
   * How the rollout of the app's Deployments stands, read from their status as Kubernetes set it.
   */
  public Rollout rollout(String namespace, String app) {
    List<Deployment> all = deployments(namespace, app);
    if (all.isEmpty()) {
      return new Rollout(Rollout.State.PROGRESSING, "no Deployment yet");
    }
    List<String> waiting = new ArrayList<>();
    for (Deployment d : all) {
      String name = d.getMetadata().getName();
      DeploymentStatus status = d.getStatus();
      Long generation = d.getMetadata().getGeneration();
      if (status == null
          || status.getObservedGeneration() == null
          || generation != null && status.getObservedGeneration() < generation) {
        waiting.add(name + ": not yet seen by the Deployment controller");
        continue;
      }
      Optional<DeploymentCondition> stuck =
          Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
              .filter(
                  c ->
                      "Progressing".equals(c.getType())
                          && "False".equals(c.getStatus())
                          && "ProgressDeadlineExceeded".equals(c.getReason()))
              .findFirst();
      if (stuck.isPresent()) {
        return new Rollout(
            Rollout.State.FAILED,
            name
                + ": "
                + Objects.toString(stuck.get().getMessage(), "progress deadline exceeded")
                + podTrouble(namespace, app, name));
      }
      int wanted = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
      int updated = Optional.ofNullable(status.getUpdatedReplicas()).orElse(0);
      int available = Optional.ofNullable(status.getAvailableReplicas()).orElse(0);
      int total = Optional.ofNullable(status.getReplicas()).orElse(0);
      if (updated != wanted || available != wanted || total != wanted) {
        waiting.add(
            name + ": " + updated + " of " + wanted + " updated, " + available + " available");
      }
    }
    return waiting.isEmpty()
        ? new Rollout(Rollout.State.COMPLETE, "every Deployment is rolled out")
        : new Rollout(Rollout.State.PROGRESSING, String.join("; ", waiting));
  }

  /** Why the pods of a process type do not get ready, as the kubelet says it. */
  public String podTrouble(String namespace, String app, String type) {
    for (Pod pod : pods(namespace, app)) {
      if (!type.equals(pod.getMetadata().getLabels().get(TYPE_LABEL))
          || pod.getStatus() == null
          || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
        if (c.getState() != null && c.getState().getWaiting() != null) {
          return " ("
              + pod.getMetadata().getName()
              + ": "
              + c.getState().getWaiting().getReason()
              + ")";
        }
      }
    }
    return "";
  }

  /** Where a rollout stands. */
  public record Rollout(State state, String message) {
    /** Done, still going, or given up on by Kubernetes. */
    public enum State {
      COMPLETE,
      PROGRESSING,
      FAILED
    }
  }

  /** The labels of every object of an app. */
  public static Map<String, String> labels(String app) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(EphemeralNamespaces.MANAGED_BY, EphemeralNamespaces.MANAGER);
    labels.put("app.kubernetes.io/name", app);
    labels.put(APP_LABEL, app);
    return labels;
  }

  private static Map<String, String> selector(String app, String type) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(APP_LABEL, app);
    selector.put(TYPE_LABEL, type);
    return selector;
  }

  private static ObjectMeta meta(String name, String namespace, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(new LinkedHashMap<>(labels))
        .build();
  }

  /** SHA-256 over the config vars in key order. */
  public static String checksum(Map<String, String> config) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : new TreeMap<>(config).entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static Integer parse(String version) {
    try {
      return Integer.valueOf(version);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

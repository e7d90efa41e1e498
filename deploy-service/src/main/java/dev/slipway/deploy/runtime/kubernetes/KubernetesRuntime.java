package dev.slipway.deploy.runtime.kubernetes;

import dev.slipway.apps.config.ConfigMask;
import dev.slipway.apps.process.OutputLines;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.deploy.runtime.AppRuntime.ProcessStatus.State;
import dev.slipway.deploy.runtime.kubernetes.AppWorkloads.Rollout;
import dev.slipway.deploy.runtime.kubernetes.AppWorkloads.Workload;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.namespace.NamespaceNames;
import dev.slipway.platform.logs.OutputTail;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Kubernetes mode's {@link AppRuntime}: every app runs in a namespace of its own name. A staging or
 * production app's namespace is converged here directly; a review app ({@code <pipeline>-pr-<n>})
 * is declared as a ReviewApp resource that the ReviewApp operator reconciles ({@link
 * ReviewAppDeclarations}), so {@code kubectl} and the deploy-service drive review apps the same
 * way.
 *
 * <p>Every write is a create, or a replace of what drifted, so a deploy interrupted anywhere is
 * finished by the next one. Release-phase commands run as Jobs before any Deployment changes. A
 * deploy waits until every Deployment is rolled out; one that is not within the rollout timeout, or
 * that Kubernetes gives up on, is rolled back to the Deployments as they were, whose pods never
 * stopped serving.
 *
 * <p>Over 500 lines because it is the whole runtime port (deploy, scale, destroy, URL, processes,
 * logs, one-offs, app namespaces); review apps, workloads and Jobs already live in classes of their
 * own.
 */
public final class KubernetesRuntime implements AppRuntime {

  private static final Logger LOG = Logger.getLogger(KubernetesRuntime.class);

  /** {@code slipway.dev/kind} of a staging or production app's namespace. */
  public static final String APP_KIND = "app";

  public static final String REVIEW_APP_LABEL = "slipway.dev/review-app";
  static final String PR_NUMBER = "SLIPWAY_PR_NUMBER";
  static final String BRANCH = "SLIPWAY_BRANCH";

  private final KubernetesClient client;
  private final EphemeralNamespaces namespaces;
  private final KubernetesRuntimeSettings settings;
  private final int logLines;
  private final long logMaxBytes;
  private final AppWorkloads workloads;
  private final OneOffJobs jobs;
  private final ReviewAppDeclarations reviewApps;
  private final Clock clock;

  /** Per app, the secret config values its log is masked with (rebuilt by the startup redeploy). */
  private final Map<String, ConfigMask> masks = new ConcurrentHashMap<>();

  /**
   * @param logLines most lines of the past an app's log answers, as in local mode
   * @param logMaxBytes most bytes of the past an app's log answers, as in local mode
   */
  public KubernetesRuntime(
      KubernetesClient client,
      EphemeralNamespaces namespaces,
      KubernetesRuntimeSettings settings,
      int logLines,
      long logMaxBytes) {
    this(client, namespaces, settings, Clock.systemUTC(), logLines, logMaxBytes);
  }

  KubernetesRuntime(
      KubernetesClient client,
      EphemeralNamespaces namespaces,
      KubernetesRuntimeSettings settings,
      Clock clock,
      int logLines,
      long logMaxBytes) {
    if (logLines <= 0 || logMaxBytes <= 0) {
      throw new IllegalArgumentException(
          "log bounds must be positive: " + logLines + " lines, " + logMaxBytes + " bytes");
    }
    this.logLines = logLines;
    this.logMaxBytes = logMaxBytes;
    this.client = Objects.requireNonNull(client, "client");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.workloads = new AppWorkloads(client, settings);
    this.jobs = new OneOffJobs(client, workloads, settings.pollInterval());
    this.reviewApps = new ReviewAppDeclarations(client, settings, clock, this::image, this::pause);
  }

  @Override
  public OneOffResult runOneOff(
      ReleaseSpec release, String command, Duration timeout, OutputSink output) {
    requireRelease(release);
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(output, "output");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    mask(release.app()).add(release.config(), release.secretNames());
    Optional<ReviewAppName> review = reviewApp(release);
    String namespace;
    if (review.isPresent()) {
      Optional<String> ready = reviewApps.namespaceOf(review.get(), release);
      if (ready.isEmpty()) {
        safely(
            output,
            "slipway: the namespace of "
                + release.app()
                + " was not created in time; is the ReviewApp operator running?");
        return new OneOffResult(1, false, Duration.ZERO);
      }
      namespace = ready.get();
    } else {
      namespace = ensureAppNamespace(release.app());
    }
    return jobs.run(
        namespace,
        release.app(),
        release.version(),
        image(release),
        release.config(),
        command,
        timeout,
        output);
  }

  @Override
  public void deploy(ReleaseSpec release, OutputSink progress) throws DeployFailedException {
    requireRelease(release);
    Objects.requireNonNull(progress, "progress");
    mask(release.app()).add(release.config(), release.secretNames());
    Optional<ReviewAppName> review = reviewApp(release);
    if (review.isPresent()) {
      reviewApps.deploy(review.get(), release, progress);
      return;
    }
    String namespace = ensureAppNamespace(release.app());
    List<Deployment> before = workloads.deployments(namespace, release.app());
    Optional<Integer> previous = runningVersion(before);
    Workload workload = workload(namespace, release);
    if (workloads.apply(workload)) {
      safely(progress, "Rolling out v" + release.version() + " in namespace " + namespace);
    }
    Rollout rollout = awaitRollout(namespace, release.app());
    if (rollout.state() != Rollout.State.COMPLETE) {
      String why =
          rollout.state() == Rollout.State.FAILED
              ? rollout.message()
              : "not rolled out within "
                  + settings.rolloutTimeout().toSeconds()
                  + " s: "
                  + rollout.message();
      if (!before.isEmpty() && previous.map(v -> v != release.version()).orElse(true)) {
        workloads.rollBack(namespace, release.app(), before);
        safely(
            progress, "Rolled back to " + previous.map(v -> "v" + v).orElse("the previous pods"));
      }
      safely(progress, "Deploy of v" + release.version() + " failed: " + why);
      throw new DeployFailedException(why);
    }
    Set<Integer> keep = new HashSet<>(Set.of(release.version()));
    previous.ifPresent(keep::add);
    workloads.pruneConfigSecrets(namespace, release.app(), keep);
    safely(progress, "Deployed v" + release.version());
  }

  @Override
  public void scale(String app, Map<String, Integer> formation) {
    requireAppName(app);
    Objects.requireNonNull(formation, "formation");
    if (reviewApps.scale(app, formation)) {
      return;
    }
    if (client.namespaces().withName(app).get() != null) {
      workloads.scale(app, app, formation);
    }
  }

  @Override
  public void destroy(String app) {
    requireAppName(app);
    masks.remove(app);
    if (reviewApps.destroy(app)) {
      return;
    }
    namespaces.delete(app);
  }

  @Override
  public Optional<URI> url(String app) {
    requireAppName(app);
    Namespace ns = client.namespaces().withName(app).get();
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    return workloads.host(app).map(host -> URI.create(settings.urlScheme() + "://" + host + "/"));
  }

  @Override
  public List<ProcessStatus> processes(String app) {
    requireAppName(app);
    List<ProcessStatus> result = new ArrayList<>();
    for (Pod pod : workloads.pods(app, app)) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      int restarts = 0;
      Integer lastExit = null;
      List<ContainerStatus> containers =
          pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
              ? List.of()
              : pod.getStatus().getContainerStatuses();
      for (ContainerStatus c : containers) {
        restarts += Optional.ofNullable(c.getRestartCount()).orElse(0);
        if (c.getLastState() != null && c.getLastState().getTerminated() != null) {
          lastExit = c.getLastState().getTerminated().getExitCode();
        }
      }
      result.add(
          new ProcessStatus(
              pod.getMetadata().getName(),
              labels.get(AppWorkloads.TYPE_LABEL),
              parseVersion(labels.get(AppWorkloads.RELEASE_LABEL)),
              state(pod, containers),
              restarts,
              lastExit));
    }
    result.sort(Comparator.comparing(ProcessStatus::type).thenComparing(ProcessStatus::name));
    return List.copyOf(result);
  }

  private ConfigMask mask(String app) {
    return masks.computeIfAbsent(app, a -> new ConfigMask());
  }

  @Override
  public LogSubscription logs(String app, int tail, boolean follow, OutputSink sink) {
    requireAppName(app);
    Objects.requireNonNull(sink, "sink");
    if (tail < 0) {
      throw new IllegalArgumentException("tail must not be negative: " + tail);
    }
    List<Pod> pods = workloads.pods(app, app);
    // Bounded as local app logs are: the past kept to logLines lines and logMaxBytes bytes, with
    // one truncation notice, and every line cut into pieces by the one splitter of user output.
    int past = Math.min(tail, logLines);
    ConfigMask mask = mask(app);
    if (!follow) {
      for (Pod pod : pods) {
        String name = pod.getMetadata().getName();
        OutputTail kept = new OutputTail(logLines, logMaxBytes);
        try (InputStream in =
            client.pods().inNamespace(app).withName(name).tailingLines(past).getLogInputStream()) {
          if (in != null) {
            OutputLines.split(in, line -> kept.add(name + ": " + mask.redact(line)));
          }
        } catch (KubernetesClientException | IOException e) {
          LOG.debugf("no log of %s/%s: %s", app, name, e.getMessage());
        }
        kept.last(tail).forEach(line -> safely(sink, line));
      }
      return () -> {};
    }
    List<LogWatch> watches = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      LogWatch watch = client.pods().inNamespace(app).withName(name).tailingLines(past).watchLog();
      watches.add(watch);
      Thread reader =
          new Thread(
              () ->
                  OutputLines.split(
                      watch.getOutput(), line -> safely(sink, name + ": " + mask.redact(line))),
              "slipway-log-" + name);
      reader.setDaemon(true);
      reader.start();
    }
    return () -> watches.forEach(LogWatch::close);
  }

  /**
   * Makes the namespace of a staging or production app exist, isolated as ephemeral ones are (Pod
   * Security restricted, the same network policies, no service-account token) but labelled as a
   * long-lived app's and without their quota, since a production formation sizes itself.
   *
   * @throws IllegalStateException when a namespace of that name exists and is not Slipway's
   */
  String ensureAppNamespace(String app) {
    String name = app;
    Map<String, String> labels = new LinkedHashMap<>(namespaces.policy().extraLabels());
    labels.put(EphemeralNamespaces.MANAGED_BY, EphemeralNamespaces.MANAGER);
    labels.put(EphemeralNamespaces.KIND_LABEL, APP_KIND);
    labels.put(AppWorkloads.APP_LABEL, app);
    for (String mode : List.of("enforce", "audit", "warn")) {
      labels.put("pod-security.kubernetes.io/" + mode, "restricted");
      labels.put("pod-security.kubernetes.io/" + mode + "-version", "latest");
    }
    Namespace existing = client.namespaces().withName(name).get();
    if (existing == null) {
      try {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                    .endMetadata()
                    .build())
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = client.namespaces().withName(name).get();
      }
    }
    if (existing != null) {
      Map<String, String> have = existing.getMetadata().getLabels();
      if (have == null
          || !EphemeralNamespaces.MANAGER.equals(have.get(EphemeralNamespaces.MANAGED_BY))) {
        throw new IllegalStateException(
            "namespace " + name + " exists and is not Slipway's; Slipway leaves it alone");
      }
      if (existing.getMetadata().getDeletionTimestamp() != null) {
        throw new IllegalStateException("namespace " + name + " is still being deleted");
      }
      if (!have.entrySet().containsAll(labels.entrySet())) {
        client
            .namespaces()
            .withName(name)
            .edit(
                ns -> {
                  ObjectMeta meta = ns.getMetadata();
                  Map<String, String> merged = new LinkedHashMap<>(meta.getLabels());
                  merged.putAll(labels);
                  meta.setLabels(merged);
                  return ns;
                });
      }
    }
    // First: the service's rights in the namespace come from this binding (least privilege).
    namespaces.grantAccess(name);
    for (NetworkPolicy policy : namespaces.networkPolicies(name)) {
      Converge.apply(client, policy);
    }
    Converge.apply(
        client,
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(EphemeralNamespaces.APP_SERVICE_ACCOUNT)
            .withNamespace(name)
            .withLabels(
                new LinkedHashMap<>(
                    Map.of(EphemeralNamespaces.MANAGED_BY, EphemeralNamespaces.MANAGER)))
            .endMetadata()
            .withAutomountServiceAccountToken(false)
            .build());
    return name;
  }

  private Rollout awaitRollout(String namespace, String app) {
    long deadline = System.nanoTime() + settings.rolloutTimeout().toNanos();
    Rollout rollout = workloads.rollout(namespace, app);
    while (rollout.state() == Rollout.State.PROGRESSING && System.nanoTime() < deadline) {
      if (!pause()) {
        break;
      }
      rollout = workloads.rollout(namespace, app);
    }
    return rollout;
  }

  private boolean pause() {
    try {
      Thread.sleep(settings.pollInterval().toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Workload workload(String namespace, ReleaseSpec release) {
    return new Workload(
        namespace,
        release.app(),
        release.version(),
        image(release),
        release.config(),
        release.processTypes(),
        release.formation());
  }

  /**
   * The image of the release's artifact: the reference the build announced ({@code
   * <repository>@sha256:…}) when there is one, else one made from the image repository setting and
   * the digest (the review app's pipeline or the app's name standing for the repository's path).
   */
  private String image(ReleaseSpec release) {
    String announced = release.artifactUri();
    if (announced != null
        && !announced.startsWith("file:")
        && announced.endsWith("@" + release.artifactDigest())) {
      return announced;
    }
    String pipeline =
        ReviewAppName.parse(release.app()).map(ReviewAppName::pipeline).orElse(release.app());
    return settings.image(pipeline, release.artifactDigest());
  }

  /** A review app: its name has the review shape and its config names the same pull request. */
  private static Optional<ReviewAppName> reviewApp(ReleaseSpec release) {
    return ReviewAppName.parse(release.app())
        .filter(n -> Integer.toString(n.pr()).equals(release.config().get(PR_NUMBER)));
  }

  private static Optional<Integer> runningVersion(List<Deployment> deployments) {
    return deployments.stream()
        .map(d -> parseVersion(d.getMetadata().getLabels().get(AppWorkloads.RELEASE_LABEL)))
        .filter(v -> v > 0)
        .findFirst();
  }

  private static State state(Pod pod, List<ContainerStatus> containers) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return State.DOWN;
    }
    for (ContainerStatus c : containers) {
      if (c.getState() != null
          && c.getState().getWaiting() != null
          && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason())) {
        return State.CRASHED;
      }
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase)) {
      return State.CRASHED;
    }
    if ("Succeeded".equals(phase)) {
      return State.DOWN;
    }
    boolean ready =
        pod.getStatus() != null
            && pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(
                    (PodCondition c) ->
                        "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return "Running".equals(phase) && ready ? State.UP : State.STARTING;
  }

  static int parseVersion(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void requireRelease(ReleaseSpec release) {
    Objects.requireNonNull(release, "release");
    requireAppName(release.app());
    if (release.version() < 1) {
      throw new IllegalArgumentException("release version must be positive: " + release.version());
    }
    Objects.requireNonNull(release.artifactDigest(), "artifactDigest");
  }

  /** An app's name is its namespace's name, so it must be one. */
  private static void requireAppName(String app) {
    if (!NamespaceNames.isValid(app)) {
      throw new IllegalArgumentException("not a valid app name on Kubernetes: " + app);
    }
  }

  static void safely(OutputSink sink, String line) {
    try {
      sink.line(line);
    } catch (RuntimeException e) {
      // A broken progress sink must not break the deploy.
    }
  }
}

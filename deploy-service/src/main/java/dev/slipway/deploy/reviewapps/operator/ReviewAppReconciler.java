package dev.slipway.deploy.reviewapps.operator;

import dev.slipway.api.v1alpha1.ReviewAppCustomResource;
import dev.slipway.api.v1alpha1.ReviewAppCustomResourceSpec;
import dev.slipway.api.v1alpha1.ReviewAppCustomResourceStatus;
import dev.slipway.deploy.runtime.AppRuntime.OneOffResult;
import dev.slipway.deploy.runtime.kubernetes.AppWorkloads;
import dev.slipway.deploy.runtime.kubernetes.AppWorkloads.Rollout;
import dev.slipway.deploy.runtime.kubernetes.AppWorkloads.Workload;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntime;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.deploy.runtime.kubernetes.OneOffJobs;
import dev.slipway.kubernetes.namespace.EphemeralNamespace;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.namespace.NamespaceNames;
import dev.slipway.kubernetes.status.Conditions;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Brings one review app's namespace in line with its ReviewApp resource and reports in the
 * resource's status. Level-triggered: it looks only at how things are now, writes only what
 * differs, so running it again changes nothing.
 */
final class ReviewAppReconciler {

  static final String FINALIZER = "slipway.dev/review-app";
  static final String READY = "Ready";
  static final String RECONCILING = "Reconciling";
  static final String STALLED = "Stalled";
  static final String NAMESPACE_TERMINATING = "NamespaceTerminating";

  private static final Logger LOG = Logger.getLogger(ReviewAppReconciler.class);

  /** A review app without an expiry still needs one on its namespace: far enough to never bite. */
  private static final Duration NO_EXPIRY = Duration.ofDays(3650);

  private final KubernetesClient client;
  private final EphemeralNamespaces namespaces;
  private final KubernetesRuntimeSettings settings;
  private final ReviewAppOperatorSettings operator;
  private final AppWorkloads workloads;
  private final OneOffJobs jobs;
  private final Clock clock;

  ReviewAppReconciler(
      KubernetesClient client,
      EphemeralNamespaces namespaces,
      KubernetesRuntimeSettings settings,
      ReviewAppOperatorSettings operator,
      Clock clock) {
    this.client = client;
    this.namespaces = namespaces;
    this.settings = settings;
    this.operator = operator;
    this.clock = clock;
    this.workloads = new AppWorkloads(client, settings);
    this.jobs = new OneOffJobs(client, workloads, settings.pollInterval());
  }

  /**
   * Reconciles {@code cached}, an informer cache object, which is copied and never changed; returns
   * when to look again if something is still under way. Throws when it should be retried with
   * backoff.
   */
  Optional<Duration> reconcile(ReviewAppCustomResource cached) {
    ReviewAppCustomResource cr = client.getKubernetesSerialization().clone(cached);
    if (cr.isMarkedForDeletion()) {
      return finalizeDeletion(cr);
    }
    if (cr.getSpec() == null) {
      writeStatus(
          cr, "Failed", null, null, null, Verdict.stalled("InvalidSpec", "spec is missing"));
      return Optional.empty();
    }
    if (expired(cr, clock.instant())) {
      LOG.infof("ReviewApp %s expired at %s: deleting it", key(cr), cr.getSpec().expiresAt());
      client.resource(cr).delete();
      return Optional.empty();
    }
    String namespace;
    try {
      namespace = namespaceOf(cr);
    } catch (IllegalArgumentException e) {
      writeStatus(cr, "Failed", null, null, null, Verdict.stalled("InvalidSpec", e.getMessage()));
      return Optional.empty();
    }
    if (!cr.hasFinalizer(FINALIZER)) {
      // Before anything exists: a namespace must never exist without the finalizer that deletes it.
      cr.addFinalizer(FINALIZER);
      cr = client.resource(cr).update();
    }
    ReviewAppCustomResourceStatus old = cr.getStatus();
    String url = old == null ? null : old.url();
    Integer running = old == null ? null : old.release();
    try {
      Optional<Instant> terminating = namespaces.terminatingSince(namespace);
      if (terminating.isPresent()) {
        writeStatus(
            cr, "Pending", namespace, url, running, terminating(namespace, terminating.get()));
        return Optional.of(settings.pollInterval());
      }
      namespaces.ensure(
          new EphemeralNamespace(
              namespace,
              EphemeralNamespace.Kind.REVIEW,
              cr.getSpec().pipeline(),
              cr.getSpec().prNumber(),
              expiresAt(cr)));
      ReviewAppCustomResourceSpec.Release release = cr.getSpec().release();
      if (release == null) {
        writeStatus(
            cr,
            "Pending",
            namespace,
            null,
            null,
            Verdict.of(false, false, false, "NoRelease", "namespace " + namespace + " is ready"));
        return Optional.empty();
      }
      Optional<Map<String, String>> config = config(cr, release);
      if (config.isEmpty()) {
        writeStatus(
            cr,
            "Pending",
            namespace,
            url,
            running,
            Verdict.of(
                false,
                true,
                false,
                "ConfigSecretNotFound",
                "Secret " + release.configSecret() + " does not exist"));
        return Optional.of(settings.pollInterval());
      }
      Workload workload =
          new Workload(
              namespace,
              cr.getSpec().app(),
              release.version(),
              release.image(),
              config.get(),
              orEmpty(release.processes()),
              orEmpty(release.formation()));
      workloads.apply(workload);
      Rollout rollout = workloads.rollout(namespace, workload.app());
      return switch (rollout.state()) {
        case COMPLETE -> {
          Set<Integer> keep = new HashSet<>(Set.of(release.version()));
          if (running != null) {
            keep.add(running);
          }
          workloads.pruneConfigSecrets(namespace, workload.app(), keep);
          String now =
              workload.hasWeb()
                  ? settings.urlScheme() + "://" + settings.host(workload.app()) + "/"
                  : null;
          writeStatus(
              cr,
              "Ready",
              namespace,
              now,
              release.version(),
              Verdict.of(
                  true, false, false, "RolloutComplete", "v" + release.version() + " is running"));
          yield Optional.empty();
        }
        case PROGRESSING -> {
          writeStatus(
              cr,
              "Deploying",
              namespace,
              url,
              running,
              Verdict.of(false, true, false, "RollingOut", rollout.message()));
          yield Optional.of(settings.pollInterval());
        }
        case FAILED -> {
          writeStatus(
              cr,
              "Failed",
              namespace,
              url,
              running,
              Verdict.stalled("RolloutFailed", rollout.message()));
          yield Optional.empty();
        }
      };
    } catch (IllegalStateException e) {
      // A namespace of that name that Slipway did not create: nothing to do until it goes.
      writeStatus(
          cr,
          "Failed",
          namespace,
          url,
          running,
          Verdict.stalled("NamespaceNotManaged", e.getMessage()));
      return Optional.empty();
    } catch (RuntimeException e) {
      reportError(cr, namespace, url, running, e);
      throw e;
    }
  }

  /** pr-predestroy if asked for, then the namespace goes, then the resource may. */
  private Optional<Duration> finalizeDeletion(ReviewAppCustomResource cr) {
    if (!cr.hasFinalizer(FINALIZER)) {
      return Optional.empty();
    }
    String namespace = cr.getSpec() == null ? null : safeNamespace(cr);
    if (namespace != null) {
      Namespace ns = client.namespaces().withName(namespace).get();
      if (ns != null && ns.getMetadata().getDeletionTimestamp() == null) {
        predestroy(cr, namespace);
        namespaces.delete(namespace);
        ns = client.namespaces().withName(namespace).get();
      }
      if (ns != null) {
        Instant since =
            ns.getMetadata().getDeletionTimestamp() == null
                ? clock.instant()
                : Instant.parse(ns.getMetadata().getDeletionTimestamp());
        ReviewAppCustomResourceStatus old = cr.getStatus();
        writeStatus(
            cr,
            "Deleting",
            namespace,
            old == null ? null : old.url(),
            old == null ? null : old.release(),
            terminating(namespace, since));
        return Optional.of(settings.pollInterval());
      }
    }
    for (Secret s :
        client
            .secrets()
            .inNamespace(cr.getMetadata().getNamespace())
            .withLabel(KubernetesRuntime.REVIEW_APP_LABEL, cr.getMetadata().getName())
            .list()
            .getItems()) {
      client.resource(s).delete();
    }
    cr.removeFinalizer(FINALIZER);
    client.resource(cr).update();
    LOG.infof("ReviewApp %s: namespace %s deleted", key(cr), namespace);
    return Optional.empty();
  }

  private void predestroy(ReviewAppCustomResource cr, String namespace) {
    ReviewAppCustomResourceSpec.Release release = cr.getSpec().release();
    String command = cr.getSpec().predestroy();
    if (command == null || command.isBlank() || release == null) {
      return;
    }
    Optional<Map<String, String>> config = config(cr, release);
    OneOffResult result =
        jobs.run(
            namespace,
            cr.getSpec().app(),
            release.version(),
            release.image(),
            config.orElse(Map.of()),
            command,
            operator.predestroyTimeout(),
            line -> {});
    if (!result.succeeded()) {
      LOG.warnf(
          "ReviewApp %s: pr-predestroy failed (exit %d%s); deleting anyway",
          key(cr), result.exitCode(), result.timedOut() ? ", timed out" : "");
    }
  }

  private Verdict terminating(String namespace, Instant since) {
    boolean stuck = !since.plus(operator.terminatingAfter()).isAfter(clock.instant());
    String message = "namespace " + namespace + " has been terminating since " + since;
    return stuck
        ? Verdict.stalled(NAMESPACE_TERMINATING, message)
        : Verdict.of(false, true, false, NAMESPACE_TERMINATING, message);
  }

  private Optional<Map<String, String>> config(
      ReviewAppCustomResource cr, ReviewAppCustomResourceSpec.Release release) {
    Secret secret =
        client
            .secrets()
            .inNamespace(cr.getMetadata().getNamespace())
            .withName(release.configSecret())
            .get();
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> config = new TreeMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  config.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      config.putAll(secret.getStringData());
    }
    return Optional.of(config);
  }

  static String namespaceOf(ReviewAppCustomResource cr) {
    return NamespaceNames.forReviewApp(cr.getSpec().pipeline(), cr.getSpec().prNumber());
  }

  private static String safeNamespace(ReviewAppCustomResource cr) {
    try {
      return namespaceOf(cr);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static boolean expired(ReviewAppCustomResource cr, Instant now) {
    String at = cr.getSpec() == null ? null : cr.getSpec().expiresAt();
    if (at == null || at.isBlank()) {
      return false;
    }
    try {
      return !Instant.parse(at).isAfter(now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private Instant expiresAt(ReviewAppCustomResource cr) {
    try {
      return Instant.parse(cr.getSpec().expiresAt());
    } catch (RuntimeException e) {
      return clock.instant().plus(NO_EXPIRY).truncatedTo(ChronoUnit.DAYS);
    }
  }

  private void reportError(
      ReviewAppCustomResource cr,
      String namespace,
      String url,
      Integer running,
      RuntimeException e) {
    if (e instanceof KubernetesClientException k && k.getCode() == 409) {
      LOG.debugf("ReviewApp %s changed while reconciling, retrying", key(cr));
      return;
    }
    LOG.warnf(e, "ReviewApp %s: reconcile failed, will retry", key(cr));
    try {
      writeStatus(
          cr,
          "Pending",
          namespace,
          url,
          running,
          Verdict.of(
              false,
              true,
              false,
              "RetryingAfterError",
              e.getClass().getSimpleName() + ": " + e.getMessage()));
    } catch (RuntimeException statusFailure) {
      LOG.debugf(statusFailure, "ReviewApp %s: status not written", key(cr));
    }
  }

  /** Writes the status through the status subresource, unless it already says this. */
  private void writeStatus(
      ReviewAppCustomResource cr,
      String phase,
      String namespace,
      String url,
      Integer release,
      Verdict verdict) {
    ReviewAppCustomResourceStatus old = cr.getStatus();
    Long generation = cr.getMetadata().getGeneration();
    ReviewAppCustomResourceStatus wanted =
        new ReviewAppCustomResourceStatus(
            phase,
            namespace,
            url,
            release,
            generation,
            Conditions.next(
                old == null ? null : old.conditions(),
                verdict.statuses(),
                verdict.reason(),
                verdict.message(),
                generation));
    if (old != null
        && Objects.equals(old.phase(), wanted.phase())
        && Objects.equals(old.namespace(), wanted.namespace())
        && Objects.equals(old.url(), wanted.url())
        && Objects.equals(old.release(), wanted.release())
        && Objects.equals(old.observedGeneration(), wanted.observedGeneration())
        && Conditions.same(old.conditions(), wanted.conditions())) {
      return;
    }
    cr.setStatus(wanted);
    client.resource(cr).updateStatus();
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  static String key(ReviewAppCustomResource cr) {
    return cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
  }

  /** The three conditions with one reason and message, in the order kubectl shows them. */
  private record Verdict(Map<String, Boolean> statuses, String reason, String message) {
    static Verdict of(
        boolean ready, boolean reconciling, boolean stalled, String reason, String message) {
      var statuses = new LinkedHashMap<String, Boolean>();
      statuses.put(READY, ready);
      statuses.put(RECONCILING, reconciling);
      statuses.put(STALLED, stalled);
      return new Verdict(statuses, reason, message);
    }

    static Verdict stalled(String reason, String message) {
      return of(false, false, true, reason, message);
    }
  }
}

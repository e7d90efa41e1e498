package dev.slipway.deploy.runtime.kubernetes;

import static dev.slipway.deploy.runtime.kubernetes.KubernetesRuntime.BRANCH;
import static dev.slipway.deploy.runtime.kubernetes.KubernetesRuntime.REVIEW_APP_LABEL;
import static dev.slipway.deploy.runtime.kubernetes.KubernetesRuntime.parseVersion;
import static dev.slipway.deploy.runtime.kubernetes.KubernetesRuntime.safely;

import dev.slipway.api.v1alpha1.ReviewAppCustomResource;
import dev.slipway.api.v1alpha1.ReviewAppCustomResourceSpec;
import dev.slipway.api.v1alpha1.ReviewAppCustomResourceStatus;
import dev.slipway.deploy.runtime.AppRuntime.DeployFailedException;
import dev.slipway.deploy.runtime.AppRuntime.OutputSink;
import dev.slipway.deploy.runtime.AppRuntime.ReleaseSpec;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.kubernetes.namespace.NamespaceNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Review apps as the Kubernetes runtime drives them: each is declared as a ReviewApp resource in
 * the control namespace (its release's config vars in a Secret next to it) and the runtime waits
 * for what the ReviewApp operator reports, never touching the review namespace itself.
 */
final class ReviewAppDeclarations {

  private final KubernetesClient client;
  private final KubernetesRuntimeSettings settings;
  private final Clock clock;
  private final Function<ReleaseSpec, String> image;
  private final BooleanSupplier pause;

  /**
   * @param image the image reference of a release's artifact
   * @param pause sleeps one poll interval; false when interrupted
   */
  ReviewAppDeclarations(
      KubernetesClient client,
      KubernetesRuntimeSettings settings,
      Clock clock,
      Function<ReleaseSpec, String> image,
      BooleanSupplier pause) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.image = image;
    this.pause = pause;
  }

  /**
   * Declares the review app (without changing its release) and waits until the operator has made
   * its namespace; the namespace's name, or empty if that did not happen in time.
   */
  Optional<String> namespaceOf(ReviewAppName name, ReleaseSpec release) {
    declareReviewApp(name, release, null);
    return awaitReviewNamespace(name);
  }

  /** Sets the review app's formation through its resource; false if {@code app} has none. */
  boolean scale(String app, Map<String, Integer> formation) {
    Optional<ReviewAppCustomResource> review = find(app);
    if (review.isPresent()) {
      ReviewAppCustomResourceSpec.Release release = review.get().getSpec().release();
      if (release != null) {
        reviewApps()
            .withName(app)
            .edit(
                cr -> {
                  cr.setSpec(
                      withRelease(
                          cr.getSpec(),
                          new ReviewAppCustomResourceSpec.Release(
                              release.version(),
                              release.image(),
                              release.artifactDigest(),
                              release.configSecret(),
                              release.processes(),
                              Map.copyOf(formation))));
                  return cr;
                });
      }
      return true;
    }
    return false;
  }

  /** Deletes the review app's resource; false if {@code app} has none. */
  boolean destroy(String app) {
    if (find(app).isEmpty()) {
      return false;
    }
    // The operator's finalizer deletes the namespace, then lets the resource go.
    reviewApps().withName(app).delete();
    return true;
  }

  /**
   * Declares {@code release} as what the review app runs and waits until the operator reports it
   * Ready; on failure the resource goes back to the previous release.
   */
  void deploy(ReviewAppName name, ReleaseSpec release, OutputSink progress)
      throws DeployFailedException {
    ReviewAppCustomResource before = reviewApps().withName(release.app()).get();
    ReviewAppCustomResourceSpec.Release previous =
        before == null || before.getSpec() == null ? null : before.getSpec().release();
    ReviewAppCustomResource declared = declareReviewApp(name, release, reviewRelease(release));
    safely(
        progress,
        "Declared ReviewApp "
            + settings.controlNamespace()
            + "/"
            + release.app()
            + " at v"
            + release.version());
    String failure = awaitReviewApp(declared, release.version());
    if (failure != null) {
      if (previous != null && previous.version() != release.version()) {
        // The operator rolls the namespace back to the release that worked.
        reviewApps()
            .withName(release.app())
            .edit(
                cr -> {
                  cr.setSpec(withRelease(cr.getSpec(), previous));
                  return cr;
                });
        safely(progress, "Rolled back to v" + previous.version());
      }
      safely(progress, "Deploy of v" + release.version() + " failed: " + failure);
      throw new DeployFailedException(failure);
    }
    Set<Integer> keep = new HashSet<>(Set.of(release.version()));
    if (previous != null) {
      keep.add(previous.version());
    }
    pruneControlSecrets(release.app(), keep);
    safely(progress, "Deployed v" + release.version());
  }

  /**
   * Creates or updates the review app's resource: with {@code release} it is what the namespace
   * should run (its config in a Secret next to the resource); without, the resource only has to
   * exist.
   */
  private ReviewAppCustomResource declareReviewApp(
      ReviewAppName name, ReleaseSpec spec, ReviewAppCustomResourceSpec.Release release) {
    if (release != null) {
      Converge.apply(client, controlSecret(spec));
    }
    String expiresAt =
        clock.instant().plus(settings.reviewAppTtl()).truncatedTo(ChronoUnit.SECONDS).toString();
    ReviewAppCustomResource existing = reviewApps().withName(spec.app()).get();
    if (existing == null) {
      ReviewAppCustomResource cr = new ReviewAppCustomResource();
      cr.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName(spec.app())
              .withNamespace(settings.controlNamespace())
              .withLabels(
                  new LinkedHashMap<>(
                      Map.of(
                          EphemeralNamespaces.MANAGED_BY,
                          EphemeralNamespaces.MANAGER,
                          EphemeralNamespaces.PIPELINE_LABEL,
                          NamespaceNames.pipelineLabel(name.pipeline()))))
              .build());
      cr.setSpec(
          new ReviewAppCustomResourceSpec(
              name.pipeline(),
              name.pr(),
              spec.config().get(BRANCH),
              spec.app(),
              release,
              null,
              expiresAt));
      try {
        return reviewApps().resource(cr).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = reviewApps().withName(spec.app()).get();
      }
    }
    if (existing.isMarkedForDeletion()) {
      throw new IllegalStateException("review app " + spec.app() + " is being deleted");
    }
    if (release == null || release.equals(existing.getSpec().release())) {
      return existing;
    }
    // A new release extends the review app's life as a new deploy resets Heroku's stale clock.
    return reviewApps()
        .withName(spec.app())
        .edit(
            cr -> {
              ReviewAppCustomResourceSpec s = cr.getSpec();
              cr.setSpec(
                  new ReviewAppCustomResourceSpec(
                      s.pipeline(),
                      s.prNumber(),
                      s.branch(),
                      s.app(),
                      release,
                      s.predestroy(),
                      expiresAt));
              return cr;
            });
  }

  private ReviewAppCustomResourceSpec.Release reviewRelease(ReleaseSpec release) {
    return new ReviewAppCustomResourceSpec.Release(
        release.version(),
        image.apply(release),
        release.artifactDigest(),
        controlSecretName(release.app(), release.version()),
        new TreeMap<>(release.processTypes()),
        new TreeMap<>(release.formation()));
  }

  private Secret controlSecret(ReleaseSpec release) {
    Map<String, String> data = new TreeMap<>();
    release
        .config()
        .forEach(
            (k, v) ->
                data.put(
                    k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(EphemeralNamespaces.MANAGED_BY, EphemeralNamespaces.MANAGER);
    labels.put(REVIEW_APP_LABEL, release.app());
    labels.put(AppWorkloads.RELEASE_LABEL, Integer.toString(release.version()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(controlSecretName(release.app(), release.version()))
        .withNamespace(settings.controlNamespace())
        .withLabels(labels)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** The Secret next to a ReviewApp holding one release's config vars. */
  public static String controlSecretName(String app, int version) {
    return app + "-config-v" + version;
  }

  private void pruneControlSecrets(String app, Set<Integer> keep) {
    for (Secret s :
        client
            .secrets()
            .inNamespace(settings.controlNamespace())
            .withLabel(REVIEW_APP_LABEL, app)
            .list()
            .getItems()) {
      if (!keep.contains(
          parseVersion(s.getMetadata().getLabels().get(AppWorkloads.RELEASE_LABEL)))) {
        client.resource(s).delete();
      }
    }
  }

  /** Waits until the operator reports {@code version} Ready; the failure, or null. */
  private String awaitReviewApp(ReviewAppCustomResource declared, int version) {
    long generation = Optional.ofNullable(declared.getMetadata().getGeneration()).orElse(0L);
    long deadline =
        System.nanoTime() + settings.rolloutTimeout().plus(settings.progressDeadline()).toNanos();
    String last = "the ReviewApp operator has not reported on it";
    while (System.nanoTime() < deadline) {
      ReviewAppCustomResource cr = reviewApps().withName(declared.getMetadata().getName()).get();
      if (cr == null) {
        return "the ReviewApp resource was deleted";
      }
      ReviewAppCustomResourceStatus status = cr.getStatus();
      if (status != null
          && status.observedGeneration() != null
          && status.observedGeneration() >= generation) {
        Condition ready = condition(status, "Ready");
        Condition stalled = condition(status, "Stalled");
        if (ready != null
            && "True".equals(ready.getStatus())
            && Objects.equals(status.release(), version)) {
          return null;
        }
        if (stalled != null && "True".equals(stalled.getStatus())) {
          return stalled.getMessage();
        }
        if (ready != null && ready.getMessage() != null) {
          last = ready.getMessage();
        }
      }
      if (!pause.getAsBoolean()) {
        return "interrupted while waiting for the review app";
      }
    }
    return "not ready within " + settings.rolloutTimeout().toSeconds() + " s: " + last;
  }

  /** Waits until the operator has made the review app's namespace; its name, if it did. */
  private Optional<String> awaitReviewNamespace(ReviewAppName name) {
    long deadline = System.nanoTime() + settings.rolloutTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      Namespace ns = client.namespaces().withName(name.namespace()).get();
      if (ns != null
          && ns.getMetadata().getDeletionTimestamp() == null
          && ns.getMetadata().getLabels() != null
          && EphemeralNamespaces.MANAGER.equals(
              ns.getMetadata().getLabels().get(EphemeralNamespaces.MANAGED_BY))
          && client
                  .serviceAccounts()
                  .inNamespace(name.namespace())
                  .withName(EphemeralNamespaces.APP_SERVICE_ACCOUNT)
                  .get()
              != null) {
        return Optional.of(name.namespace());
      }
      if (!pause.getAsBoolean()) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private Optional<ReviewAppCustomResource> find(String app) {
    if (ReviewAppName.parse(app).isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(reviewApps().withName(app).get());
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          ReviewAppCustomResource,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<ReviewAppCustomResource>,
          Resource<ReviewAppCustomResource>>
      reviewApps() {
    MixedOperation<
            ReviewAppCustomResource,
            io.fabric8.kubernetes.api.model.KubernetesResourceList<ReviewAppCustomResource>,
            Resource<ReviewAppCustomResource>>
        all = client.resources(ReviewAppCustomResource.class);
    return all.inNamespace(settings.controlNamespace());
  }

  static ReviewAppCustomResourceSpec withRelease(
      ReviewAppCustomResourceSpec s, ReviewAppCustomResourceSpec.Release release) {
    return new ReviewAppCustomResourceSpec(
        s.pipeline(), s.prNumber(), s.branch(), s.app(), release, s.predestroy(), s.expiresAt());
  }

  private static Condition condition(ReviewAppCustomResourceStatus status, String type) {
    if (status.conditions() == null) {
      return null;
    }
    return status.conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}

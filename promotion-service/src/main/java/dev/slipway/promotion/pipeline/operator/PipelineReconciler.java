package dev.slipway.promotion.pipeline.operator;

import dev.slipway.api.v1alpha1.PipelineCustomResource;
import dev.slipway.api.v1alpha1.PipelineCustomResourceSpec;
import dev.slipway.api.v1alpha1.PipelineCustomResourceStatus;
import dev.slipway.kubernetes.status.Conditions;
import dev.slipway.promotion.pipeline.Pipeline;
import dev.slipway.promotion.pipeline.PipelineBinding;
import dev.slipway.promotion.pipeline.PipelineConflictException;
import dev.slipway.promotion.pipeline.PipelineOwner;
import dev.slipway.promotion.pipeline.PipelineSpec;
import dev.slipway.promotion.pipeline.Pipelines;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Brings the pipeline model in line with one Pipeline resource and reports the outcome in the
 * resource's status. Level-triggered: it looks only at the resource as it is now, so running it
 * again changes nothing.
 */
final class PipelineReconciler {

  static final String FINALIZER = "slipway.dev/pipeline";
  static final String READY = "Ready";
  static final String RECONCILING = "Reconciling";
  static final String STALLED = "Stalled";

  private static final Logger LOG = Logger.getLogger(PipelineReconciler.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final Pipelines pipelines;
  private final PipelineCrSpecMapper mapper;

  PipelineReconciler(KubernetesClient client, Pipelines pipelines, PipelineCrSpecMapper mapper) {
    this.client = client;
    this.pipelines = pipelines;
    this.mapper = mapper;
  }

  /**
   * Reconciles {@code cached}, an informer cache object, which is copied and never changed. Two
   * resources declaring one pipeline name: the first to create it manages it, the other is refused
   * ({@link PipelineBinding}). Throws when the attempt should be retried with backoff.
   */
  void reconcile(PipelineCustomResource cached) {
    PipelineCustomResource cr = client.getKubernetesSerialization().clone(cached);
    if (cr.isMarkedForDeletion()) {
      finalizeDeletion(cr);
      return;
    }
    if (!cr.hasFinalizer(FINALIZER)) {
      // Before anything else: a pipeline must never exist without the finalizer that deletes it.
      cr.addFinalizer(FINALIZER);
      cr = client.resource(cr).update();
    }
    PipelineOwner self = owner(cr);
    // The status is only a hint: it counts only if it names a pipeline this resource created.
    Optional<Pipeline> fromStatus = statusPipeline(cr);
    String knownId =
        fromStatus
            .filter(p -> PipelineBinding.mayDelete(self, p.stored()))
            .map(p -> p.id().toString())
            .orElse(null);
    PipelineCustomResource current = cr;
    try {
      PipelineSpec desired = mapper.toSpec(cr, (ref, field) -> secretValue(current, ref, field));
      Pipeline pipeline = apply(self, fromStatus, desired, key(cr));
      writeStatus(
          cr,
          pipeline.id().toString(),
          Verdict.of(
              true, false, false, "Reconciled", "pipeline " + desired.name() + " is in sync"));
    } catch (Refused e) {
      if (writeStatus(
          cr,
          e.keepsPipeline ? knownId : null,
          Verdict.of(false, false, true, e.reason, e.getMessage()))) {
        LOG.infof("Pipeline %s stalled: %s", key(cr), e.getMessage());
      }
    } catch (Waiting e) {
      if (writeStatus(cr, knownId, Verdict.of(false, true, false, e.reason, e.getMessage()))) {
        LOG.infof("Pipeline %s waiting: %s", key(cr), e.getMessage());
      }
      throw e;
    } catch (RuntimeException e) {
      reportError(cr, knownId, e);
      throw e;
    }
  }

  private Pipeline apply(
      PipelineOwner self, Optional<Pipeline> fromStatus, PipelineSpec desired, String key) {
    Optional<Pipeline> byName = await(() -> pipelines.findByName(desired.name()));
    PipelineBinding.Decision decision =
        PipelineBinding.decide(
            self, fromStatus.map(Pipeline::stored), byName.map(Pipeline::stored), desired.name());
    if (decision instanceof PipelineBinding.Refuse r) {
      throw new Refused(r.reason(), r.message(), false);
    }
    try {
      if (decision instanceof PipelineBinding.Manage m) {
        Pipeline found =
            fromStatus
                .filter(p -> p.id().equals(m.id()))
                .or(() -> byName.filter(p -> p.id().equals(m.id())))
                .orElseThrow();
        if (found.spec().equals(desired)) {
          return found;
        }
        Optional<Pipeline> updated = await(() -> pipelines.update(found.id(), stored -> desired));
        if (updated.isEmpty()) {
          throw new IllegalStateException("pipeline " + found.id() + " vanished while updating");
        }
        LOG.infof("Pipeline %s updated pipeline %s (%s)", key, desired.name(), found.id());
        return updated.get();
      }
      Pipeline created = await(() -> pipelines.create(desired, self));
      LOG.infof("Pipeline %s created pipeline %s (%s)", key, desired.name(), created.id());
      return created;
    } catch (PipelineConflictException e) {
      throw new Refused("Conflict", "spec." + e.field() + ": " + e.getMessage(), true);
    }
  }

  private Optional<Pipeline> statusPipeline(PipelineCustomResource cr) {
    String id = cr.getStatus() == null ? null : cr.getStatus().pipelineId();
    return parseId(id).flatMap(uuid -> await(() -> pipelines.find(uuid)));
  }

  static PipelineOwner owner(PipelineCustomResource cr) {
    return new PipelineOwner(cr.getMetadata().getNamespace(), cr.getMetadata().getUid());
  }

  private void finalizeDeletion(PipelineCustomResource cr) {
    if (!cr.hasFinalizer(FINALIZER)) {
      return;
    }
    // Only the pipeline the status names, and only if this resource created it: a status naming
    // another's pipeline must not delete it.
    Optional<Pipeline> named = statusPipeline(cr);
    if (named.isPresent() && PipelineBinding.mayDelete(owner(cr), named.get().stored())) {
      UUID id = named.get().id();
      boolean deleted = await(() -> pipelines.delete(id));
      LOG.infof(
          "Pipeline %s deleted: pipeline %s %s",
          key(cr), id, deleted ? "deleted" : "was already gone");
    } else if (named.isPresent()) {
      LOG.warnf(
          "Pipeline %s deleted: its status names pipeline %s, which it does not own; kept",
          key(cr), named.get().id());
    }
    cr.removeFinalizer(FINALIZER);
    client.resource(cr).update();
  }

  static String declaredName(PipelineCustomResource cr) {
    return cr.getSpec() != null && cr.getSpec().name() != null
        ? cr.getSpec().name()
        : cr.getMetadata().getName();
  }

  private String secretValue(
      PipelineCustomResource cr, PipelineCustomResourceSpec.SecretKeyRef ref, String field) {
    if (ref == null) {
      return null;
    }
    if (ref.name() == null || ref.key() == null) {
      throw new Refused("InvalidSpec", "spec." + field + ": name and key are required", true);
    }
    String namespace = cr.getMetadata().getNamespace();
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
    String where = "Secret " + namespace + "/" + ref.name() + " (spec." + field + ")";
    if (secret == null) {
      throw new Waiting("SecretNotFound", where + " does not exist");
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(ref.key());
    if (encoded != null) {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    // An API server turns stringData into data; a Secret read elsewhere may still carry it.
    String plain = secret.getStringData() == null ? null : secret.getStringData().get(ref.key());
    if (plain != null) {
      return plain;
    }
    throw new Waiting("SecretKeyNotFound", where + " has no key " + ref.key());
  }

  private void reportError(PipelineCustomResource cr, String knownId, RuntimeException e) {
    if (e instanceof KubernetesClientException k && k.getCode() == 409) {
      // The cached resource was stale; the retry reads the newer one. Nothing to tell the user.
      LOG.debugf("Pipeline %s changed while reconciling, retrying", key(cr));
      return;
    }
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    LOG.warnf(e, "Pipeline %s: reconcile failed, will retry", key(cr));
    try {
      writeStatus(cr, knownId, Verdict.of(false, true, false, "RetryingAfterError", message));
    } catch (RuntimeException statusFailure) {
      // The cause is likely the same (API server unreachable, stale resource): the retry will tell.
      LOG.debugf(statusFailure, "Pipeline %s: status not written", key(cr));
    }
  }

  /**
   * Writes the status through the status subresource, unless it says what it already says; true
   * when written.
   */
  private boolean writeStatus(PipelineCustomResource cr, String pipelineId, Verdict verdict) {
    PipelineCustomResourceStatus old = cr.getStatus();
    Long generation = cr.getMetadata().getGeneration();
    PipelineCustomResourceStatus wanted =
        new PipelineCustomResourceStatus(
            pipelineId,
            generation,
            Conditions.next(
                old == null ? null : old.conditions(),
                verdict.statuses(),
                verdict.reason(),
                verdict.message(),
                generation));
    if (old != null
        && Objects.equals(old.pipelineId(), wanted.pipelineId())
        && Objects.equals(old.observedGeneration(), wanted.observedGeneration())
        && Conditions.same(old.conditions(), wanted.conditions())) {
      return false;
    }
    cr.setStatus(wanted);
    client.resource(cr).updateStatus();
    return true;
  }

  private static Optional<UUID> parseId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static String key(PipelineCustomResource cr) {
    return cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
  }

  /**
   * Runs a call into the reactive model from this worker thread: Hibernate Reactive needs a Vert.x
   * context, which {@link VertxContextSupport#subscribeAndAwait} provides.
   */
  private static <T> T await(Supplier<Uni<T>> call) {
    try {
      return VertxContextSupport.subscribeAndAwait(
          () -> call.get().ifNoItem().after(CALL_TIMEOUT).fail());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
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
  }

  /** The resource cannot be reconciled as it stands: reported as Stalled until it changes. */
  static final class Refused extends RuntimeException {
    final String reason;
    final boolean keepsPipeline;

    /**
     * {@code keepsPipeline}: the resource still manages the pipeline its status names, unchanged.
     */
    Refused(String reason, String message, boolean keepsPipeline) {
      super(message, null, false, false);
      this.reason = reason;
      this.keepsPipeline = keepsPipeline;
    }
  }

  /** The resource waits for something outside it, such as a Secret: retried with backoff. */
  static final class Waiting extends RuntimeException {
    final String reason;

    Waiting(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }
}

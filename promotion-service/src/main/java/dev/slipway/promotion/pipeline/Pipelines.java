package dev.slipway.promotion.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.events.EventType;
import dev.slipway.events.SecretBox;
import dev.slipway.events.Topic;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineDeleted;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.pipeline.Stage;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.secrets.PlatformSecrets;
import dev.slipway.promotion.pipeline.persistence.PipelineCoupling;
import dev.slipway.promotion.pipeline.persistence.PipelineEntity;
import dev.slipway.promotion.pipeline.persistence.StoredSecrets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Creates, changes, deletes and reads pipelines. Every change is published on the compacted
 * pipelines topic through the outbox, in the transaction that stores it; a deletion publishes
 * {@code pipeline.deleted} and then a tombstone.
 */
@ApplicationScoped
public class Pipelines {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> VARS = new TypeReference<>() {};

  private final Mutiny.SessionFactory sessionFactory;
  private final Outbox outbox;
  private final PlatformSecrets secrets;

  public Pipelines(Mutiny.SessionFactory sessionFactory, Outbox outbox, PlatformSecrets secrets) {
    this.sessionFactory = sessionFactory;
    this.outbox = outbox;
    this.secrets = secrets;
  }

  public Uni<Pipeline> create(PipelineSpec spec) {
    return create(spec, null);
  }

  /**
   * Creates a pipeline owned by the Pipeline resource {@code owner}, or by nobody (created through
   * the API) when null.
   */
  public Uni<Pipeline> create(PipelineSpec spec, PipelineOwner owner) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    PipelineEntity entity = new PipelineEntity();
    entity.id = UUID.randomUUID();
    entity.createdAt = now;
    if (owner != null) {
      entity.ownerNamespace = owner.namespace();
      entity.ownerUid = owner.uid();
    }
    return sessionFactory.withTransaction(
        session ->
            checkFree(session, entity.id, spec)
                .chain(() -> store(session, entity, spec, now))
                .chain(() -> session.persist(entity))
                .chain(() -> session.flush())
                .chain(() -> replaceCouplings(session, entity.id, spec.couplings()))
                .chain(() -> publish(session, EventType.PIPELINE_CREATED, entity, spec))
                .replaceWith(() -> Pipeline.of(entity, spec)));
  }

  /** Applies {@code change} to the stored spec; empty when there is no such pipeline. */
  public Uni<Optional<Pipeline>> update(UUID id, UnaryOperator<PipelineSpec> change) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(PipelineEntity.class, id)
                .chain(
                    entity -> {
                      if (entity == null) {
                        return Uni.createFrom().item(Optional.<Pipeline>empty());
                      }
                      return couplingsOf(session, id)
                          .map(couplings -> change.apply(specOf(entity, couplings)))
                          .chain(
                              spec ->
                                  checkFree(session, id, spec)
                                      .chain(
                                          () ->
                                              store(
                                                  session,
                                                  entity,
                                                  spec,
                                                  OffsetDateTime.now(ZoneOffset.UTC)))
                                      .chain(() -> replaceCouplings(session, id, spec.couplings()))
                                      .chain(
                                          () ->
                                              publish(
                                                  session,
                                                  EventType.PIPELINE_UPDATED,
                                                  entity,
                                                  spec))
                                      .replaceWith(() -> Optional.of(Pipeline.of(entity, spec))));
                    }));
  }

  /** Deletes the pipeline and its couplings; false when there is no such pipeline. */
  public Uni<Boolean> delete(UUID id) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(PipelineEntity.class, id)
                .chain(
                    entity -> {
                      if (entity == null) {
                        return Uni.createFrom().item(false);
                      }
                      String key = id.toString();
                      return session
                          .createMutationQuery(
                              "delete from PipelineCoupling where pipelineId = :id")
                          .setParameter("id", id)
                          .executeUpdate()
                          .chain(() -> session.remove(entity))
                          .chain(
                              () ->
                                  outbox.record(
                                      session,
                                      EventType.PIPELINE_DELETED,
                                      new PipelineDeleted(key, entity.name)))
                          .chain(() -> outbox.recordTombstone(session, Topic.PIPELINES, key))
                          .replaceWith(true);
                    }));
  }

  public Uni<Optional<Pipeline>> find(UUID id) {
    return sessionFactory.withSession(session -> find(session, id));
  }

  /** The pipeline with {@code id} read in {@code session}, for callers inside a transaction. */
  public Uni<Optional<Pipeline>> find(Mutiny.Session session, UUID id) {
    return session
        .find(PipelineEntity.class, id)
        .chain(
            entity ->
                entity == null
                    ? Uni.createFrom().item(Optional.<Pipeline>empty())
                    : couplingsOf(session, id)
                        .map(c -> Optional.of(Pipeline.of(entity, specOf(entity, c)))));
  }

  /** The pipeline named {@code name}; names are unique. */
  public Uni<Optional<Pipeline>> findByName(String name) {
    return sessionFactory.withSession(
        session ->
            session
                .createSelectionQuery(
                    "from PipelineEntity where name = :name", PipelineEntity.class)
                .setParameter("name", name)
                .getSingleResultOrNull()
                .chain(
                    entity ->
                        entity == null
                            ? Uni.createFrom().item(Optional.<Pipeline>empty())
                            : couplingsOf(session, entity.id)
                                .map(c -> Optional.of(Pipeline.of(entity, specOf(entity, c))))));
  }

  public Uni<List<Pipeline>> list() {
    return sessionFactory.withSession(
        session ->
            session
                .createSelectionQuery("from PipelineEntity order by name", PipelineEntity.class)
                .getResultList()
                .chain(
                    entities ->
                        session
                            .createSelectionQuery(
                                "from PipelineCoupling order by position", PipelineCoupling.class)
                            .getResultList()
                            .map(
                                couplings ->
                                    entities.stream()
                                        .map(
                                            e ->
                                                Pipeline.of(
                                                    e,
                                                    specOf(
                                                        e,
                                                        couplings.stream()
                                                            .filter(c -> c.pipelineId.equals(e.id))
                                                            .toList())))
                                        .toList())));
  }

  private Uni<Void> checkFree(Mutiny.Session session, UUID id, PipelineSpec spec) {
    List<String> apps = spec.couplings().stream().map(PipelineSpec.Coupling::appName).toList();
    return session
        .createSelectionQuery(
            "select count(p) from PipelineEntity p where p.name = :name and p.id <> :id",
            Long.class)
        .setParameter("name", spec.name())
        .setParameter("id", id)
        .getSingleResult()
        .chain(
            taken -> {
              if (taken > 0) {
                return Uni.createFrom()
                    .failure(
                        new PipelineConflictException(
                            "name", "a pipeline named " + spec.name() + " already exists"));
              }
              if (apps.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return session
                  .createSelectionQuery(
                      "from PipelineCoupling where appName in :apps and pipelineId <> :id",
                      PipelineCoupling.class)
                  .setParameter("apps", apps)
                  .setParameter("id", id)
                  .getResultList()
                  .chain(
                      elsewhere ->
                          elsewhere.isEmpty()
                              ? Uni.createFrom().voidItem()
                              : Uni.createFrom()
                                  .failure(
                                      new PipelineConflictException(
                                          "couplings",
                                          "app "
                                              + elsewhere.get(0).appName
                                              + " is already coupled to another pipeline")));
            });
  }

  /** Copies {@code spec} into the row, its secrets sealed under the platform key (ADR 0011). */
  private Uni<Void> store(
      Mutiny.Session session, PipelineEntity e, PipelineSpec spec, OffsetDateTime now) {
    SecretBox box = secrets.box();
    String pipelineId = e.id.toString();
    e.name = spec.name();
    e.repositoryUrl = spec.repositoryUrl();
    e.forge = spec.forge();
    e.branch = spec.branch();
    e.webhookSecret =
        StoredSecrets.seal(
            box, pipelineId, PipelineSnapshot.Sealed.WEBHOOK_SECRET, spec.webhookSecret());
    e.forgeToken =
        StoredSecrets.seal(box, pipelineId, PipelineSnapshot.Sealed.FORGE_TOKEN, spec.forgeToken());
    e.autoDeployEnabled = spec.autoDeploy().enabled();
    e.autoDeployBranch = spec.autoDeploy().branch();
    e.autoDeployWaitForCi = spec.autoDeploy().waitForCi();
    e.reviewAppsEnabled = spec.reviewApps().enabled();
    e.reviewAppsWaitForCi = spec.reviewApps().waitForCi();
    e.reviewAppsStaleDays = spec.reviewApps().staleDays();
    e.reviewAppsBaseName = spec.reviewApps().baseName();
    e.testConfigVars =
        StoredSecrets.seal(
            box,
            pipelineId,
            PipelineSnapshot.Sealed.TEST_CONFIG_VARS,
            toJson(spec.testConfigVars()));
    e.reviewConfigVars =
        StoredSecrets.seal(
            box,
            pipelineId,
            PipelineSnapshot.Sealed.REVIEW_CONFIG_VARS,
            toJson(spec.reviewConfigVars()));
    e.requiredApprovals = spec.promotionPolicy().requiredApprovals();
    e.selfApproval = spec.promotionPolicy().selfApproval();
    e.requirePassingTests = spec.promotionPolicy().requirePassingTests();
    e.updatedAt = now;
    return Uni.createFrom().voidItem();
  }

  /** Makes the stored couplings equal {@code wanted}, keeping rows of apps that stay. */
  private static Uni<Void> replaceCouplings(
      Mutiny.Session session, UUID id, List<PipelineSpec.Coupling> wanted) {
    return couplingsOf(session, id)
        .chain(
            existing -> {
              Map<String, PipelineCoupling> byApp = new java.util.HashMap<>();
              existing.forEach(c -> byApp.put(c.appName, c));
              List<PipelineCoupling> added = new ArrayList<>();
              for (int i = 0; i < wanted.size(); i++) {
                PipelineCoupling row = byApp.remove(wanted.get(i).appName());
                if (row == null) {
                  row = new PipelineCoupling();
                  row.appName = wanted.get(i).appName();
                  row.pipelineId = id;
                  added.add(row);
                }
                row.stage = wanted.get(i).stage();
                row.position = i;
              }
              return session
                  .removeAll(byApp.values().toArray())
                  .chain(session::flush)
                  .chain(() -> session.persistAll(added.toArray()))
                  .chain(session::flush);
            });
  }

  private static Uni<List<PipelineCoupling>> couplingsOf(Mutiny.Session session, UUID id) {
    return session
        .createSelectionQuery(
            "from PipelineCoupling where pipelineId = :id order by position",
            PipelineCoupling.class)
        .setParameter("id", id)
        .getResultList();
  }

  private Uni<Void> publish(
      Mutiny.Session session, EventType type, PipelineEntity entity, PipelineSpec spec) {
    return outbox
        .record(session, type, snapshotOf(entity.id, spec, entity.updatedAt, secrets.box()))
        .replaceWithVoid();
  }

  /**
   * The spec a row holds, its secrets opened; one that does not open (another platform key) reads
   * as not set (ADR 0008).
   */
  private PipelineSpec specOf(PipelineEntity e, Collection<PipelineCoupling> couplings) {
    SecretBox box = secrets.box();
    String pipelineId = e.id.toString();
    return new PipelineSpec(
        e.name,
        e.repositoryUrl,
        e.forge,
        e.branch,
        StoredSecrets.open(box, pipelineId, PipelineSnapshot.Sealed.WEBHOOK_SECRET, e.webhookSecret)
            .orElse(null),
        StoredSecrets.open(box, pipelineId, PipelineSnapshot.Sealed.FORGE_TOKEN, e.forgeToken)
            .orElse(null),
        couplings.stream()
            .sorted(java.util.Comparator.comparingInt(c -> c.position))
            .map(c -> new PipelineSpec.Coupling(c.stage, c.appName))
            .toList(),
        new PipelineSpec.AutoDeployPolicy(
            e.autoDeployEnabled, e.autoDeployBranch, e.autoDeployWaitForCi),
        new PipelineSpec.ReviewAppPolicy(
            e.reviewAppsEnabled,
            e.reviewAppsWaitForCi,
            e.reviewAppsStaleDays,
            e.reviewAppsBaseName),
        fromJson(
            StoredSecrets.open(
                box, pipelineId, PipelineSnapshot.Sealed.TEST_CONFIG_VARS, e.testConfigVars)),
        fromJson(
            StoredSecrets.open(
                box, pipelineId, PipelineSnapshot.Sealed.REVIEW_CONFIG_VARS, e.reviewConfigVars)),
        new PipelineSpec.PromotionPolicy(
            e.requiredApprovals, e.selfApproval, e.requirePassingTests));
  }

  /**
   * The event payload: the whole pipeline, its secrets and config var values only sealed under the
   * platform key (ADR 0008).
   */
  static PipelineSnapshot snapshotOf(
      UUID id, PipelineSpec spec, OffsetDateTime updatedAt, SecretBox box) {
    String pipelineId = id.toString();
    return new PipelineSnapshot(
        pipelineId,
        spec.name(),
        spec.repositoryUrl(),
        Forge.valueOf(spec.forge().toUpperCase(Locale.ROOT)),
        spec.branch(),
        spec.couplings().stream()
            .map(
                c ->
                    new PipelineSnapshot.Coupling(
                        Stage.valueOf(c.stage().toUpperCase(Locale.ROOT)), c.appName()))
            .toList(),
        new PipelineSnapshot.AutoDeploy(
            spec.autoDeploy().enabled(), spec.autoDeploy().branch(), spec.autoDeploy().waitForCi()),
        new PipelineSnapshot.ReviewApps(
            spec.reviewApps().enabled(),
            spec.reviewApps().waitForCi(),
            spec.reviewApps().staleDays()),
        updatedAt.toInstant(),
        new PipelineSnapshot.Sealed(
            box.seal(spec.webhookSecret(), pipelineId, PipelineSnapshot.Sealed.WEBHOOK_SECRET),
            box.seal(spec.forgeToken(), pipelineId, PipelineSnapshot.Sealed.FORGE_TOKEN),
            sealVars(
                box, spec.testConfigVars(), pipelineId, PipelineSnapshot.Sealed.TEST_CONFIG_VARS),
            sealVars(
                box,
                spec.reviewConfigVars(),
                pipelineId,
                PipelineSnapshot.Sealed.REVIEW_CONFIG_VARS)));
  }

  private static String sealVars(
      SecretBox box, Map<String, String> vars, String pipelineId, String field) {
    return vars.isEmpty() ? null : box.seal(toJson(vars), pipelineId, field);
  }

  private static String toJson(Map<String, String> vars) {
    try {
      return JSON.writeValueAsString(vars);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> fromJson(Optional<String> json) {
    if (json.isEmpty()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json.get(), VARS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored config vars are not JSON", e);
    }
  }
}

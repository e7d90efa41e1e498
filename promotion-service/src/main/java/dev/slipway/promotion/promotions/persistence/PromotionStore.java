package dev.slipway.promotion.promotions.persistence;

import dev.slipway.platform.persistence.AdvisoryLocks;
import dev.slipway.promotion.promotions.Approval;
import dev.slipway.promotion.promotions.Gate;
import dev.slipway.promotion.promotions.GateFacts;
import dev.slipway.promotion.promotions.GateVerdict;
import dev.slipway.promotion.promotions.Promotion;
import dev.slipway.promotion.promotions.PromotionStatus;
import dev.slipway.promotion.promotions.PromotionTarget;
import dev.slipway.promotion.promotions.PromotionView;
import dev.slipway.promotion.promotions.RecordedVerdict;
import dev.slipway.promotion.promotions.TargetStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The promotion tables ({@code promotion}, {@code promotion_target}, {@code promotion_gate}, {@code
 * promotion_approval}) and the per-pipeline advisory lock: every query and write of promotions, in
 * the caller's session, answering with domain records.
 */
@ApplicationScoped
public class PromotionStore {

  /** Serialises everything about one pipeline's promotions, until the transaction ends. */
  public Uni<Void> lock(Mutiny.Session session, UUID pipelineId) {
    return AdvisoryLocks.lock(session, "slipway-promotions-" + pipelineId);
  }

  /**
   * Promotion {@code id} read after taking its pipeline's lock (so its state is the one every other
   * writer left), or empty when there is no such promotion.
   */
  public Uni<Optional<Promotion>> findLocked(Mutiny.Session session, UUID id) {
    return session
        .find(PromotionEntity.class, id)
        .chain(
            p ->
                p == null
                    ? Uni.createFrom().item(Optional.<Promotion>empty())
                    : lock(session, p.pipelineId)
                        .chain(() -> session.refresh(p))
                        .map(ignored -> Optional.of(toRecord(p))));
  }

  /** Stores a new pending promotion and its pending targets. */
  public Uni<Promotion> insert(
      Mutiny.Session session,
      UUID pipelineId,
      String sourceApp,
      String sourceReleaseId,
      int sourceVersion,
      String artifactDigest,
      String commitSha,
      List<String> targets,
      String requestedBy) {
    PromotionEntity p = new PromotionEntity();
    p.id = UUID.randomUUID();
    p.pipelineId = pipelineId;
    p.sourceApp = sourceApp;
    p.sourceReleaseId = sourceReleaseId;
    p.sourceVersion = sourceVersion;
    p.artifactDigest = artifactDigest;
    p.commitSha = commitSha;
    p.status = PromotionStatus.PENDING.id();
    p.requestedBy = requestedBy;
    p.createdAt = now();
    List<PromotionTargetEntity> rows = new ArrayList<>();
    for (String app : targets) {
      PromotionTargetEntity t = new PromotionTargetEntity();
      t.id = UUID.randomUUID();
      t.promotionId = p.id;
      t.appName = app;
      t.status = TargetStatus.PENDING.id();
      rows.add(t);
    }
    return session
        .persist(p)
        .chain(session::flush)
        .chain(() -> session.persistAll(rows.toArray()))
        .chain(session::flush)
        .map(ignored -> toRecord(p));
  }

  /** The pipelines that have promotions still waiting on their gates. */
  public Uni<List<UUID>> pipelinesWithWaiting(Mutiny.Session session) {
    return session
        .createSelectionQuery(
            "select distinct p.pipelineId from PromotionEntity p"
                + " where p.status = 'pending' and p.requestedAt is null",
            UUID.class)
        .getResultList();
  }

  /** The pipeline's promotions still waiting on their gates, oldest first. */
  public Uni<List<Promotion>> waiting(Mutiny.Session session, UUID pipelineId) {
    return session
        .createSelectionQuery(
            "from PromotionEntity where pipelineId = :id and status = 'pending'"
                + " and requestedAt is null order by createdAt",
            PromotionEntity.class)
        .setParameter("id", pipelineId)
        .getResultList()
        .map(rows -> rows.stream().map(PromotionStore::toRecord).toList());
  }

  /** The promotion's targets, by app name. */
  public Uni<List<PromotionTarget>> targets(Mutiny.Session session, UUID promotionId) {
    return targetRows(session, promotionId)
        .map(rows -> rows.stream().map(PromotionStore::toRecord).toList());
  }

  /** The promotion's approvals, oldest first. */
  public Uni<List<Approval>> approvals(Mutiny.Session session, UUID promotionId) {
    return session
        .createSelectionQuery(
            "from PromotionApprovalEntity where promotionId = :id order by approvedAt",
            PromotionApprovalEntity.class)
        .setParameter("id", promotionId)
        .getResultList()
        .map(rows -> rows.stream().map(a -> new Approval(a.approver, a.approvedAt)).toList());
  }

  /** Records {@code approver}'s approval, once per person. */
  public Uni<Void> addApproval(Mutiny.Session session, UUID promotionId, String approver) {
    return approvals(session, promotionId)
        .chain(
            existing -> {
              if (existing.stream().anyMatch(a -> a.approver().equals(approver))) {
                return Uni.createFrom().voidItem();
              }
              PromotionApprovalEntity a = new PromotionApprovalEntity();
              a.id = UUID.randomUUID();
              a.promotionId = promotionId;
              a.approver = approver;
              a.approvedAt = now();
              return session.persist(a).chain(session::flush);
            });
  }

  /** Another promotion already requested (and not completed) to one of {@code apps}, if any. */
  public Uni<Optional<GateFacts.InFlight>> otherInFlight(
      Mutiny.Session session, UUID promotionId, List<String> apps) {
    return session
        .createSelectionQuery(
            "select t.appName, o.id from PromotionTargetEntity t, PromotionEntity o"
                + " where t.promotionId = o.id and o.id <> :id and o.status = 'pending'"
                + " and o.requestedAt is not null and t.appName in :apps",
            Object[].class)
        .setParameter("id", promotionId)
        .setParameter("apps", apps)
        .setMaxResults(1)
        .getResultList()
        .map(
            busy ->
                busy.stream()
                    .findFirst()
                    .map(row -> new GateFacts.InFlight((String) row[0], (UUID) row[1])));
  }

  /** Stores each gate's verdict over its previous one. */
  public Uni<Void> storeVerdicts(
      Mutiny.Session session, UUID promotionId, List<GateVerdict> verdicts) {
    OffsetDateTime now = now();
    return gateRows(session, promotionId)
        .chain(
            stored -> {
              List<PromotionGateEntity> added = new ArrayList<>();
              for (GateVerdict v : verdicts) {
                PromotionGateEntity row =
                    stored.stream()
                        .filter(g -> g.gate.equals(v.gate().id()))
                        .findFirst()
                        .orElseGet(
                            () -> {
                              PromotionGateEntity g = new PromotionGateEntity();
                              g.id = UUID.randomUUID();
                              g.promotionId = promotionId;
                              g.gate = v.gate().id();
                              added.add(g);
                              return g;
                            });
                row.passed = v.passed();
                row.reason = v.reason();
                row.evaluatedAt = now;
              }
              return session.persistAll(added.toArray()).chain(session::flush);
            });
  }

  /** Marks the promotion requested: its gates passed and the deploy-service takes over. */
  public Uni<Void> markRequested(Mutiny.Session session, UUID promotionId) {
    return session
        .find(PromotionEntity.class, promotionId)
        .invoke(p -> p.requestedAt = now())
        .chain(session::flush);
  }

  /**
   * Records {@code app}'s result unless that target already ended, and answers every target as it
   * now stands.
   */
  public Uni<List<PromotionTarget>> finishTarget(
      Mutiny.Session session,
      UUID promotionId,
      String app,
      TargetStatus status,
      String releaseId,
      String error) {
    return targetRows(session, promotionId)
        .chain(
            rows -> {
              rows.stream()
                  .filter(t -> t.appName.equals(app))
                  .filter(t -> !TargetStatus.of(t.status).isTerminal())
                  .forEach(
                      t -> {
                        t.status = status.id();
                        t.releaseId = releaseId;
                        t.error = error;
                      });
              return session
                  .flush()
                  .map(ignored -> rows.stream().map(PromotionStore::toRecord).toList());
            });
  }

  /** Marks the promotion completed, now. */
  public Uni<Void> markCompleted(Mutiny.Session session, UUID promotionId) {
    return session
        .find(PromotionEntity.class, promotionId)
        .invoke(
            p -> {
              p.status = PromotionStatus.COMPLETED.id();
              p.completedAt = now();
            })
        .chain(session::flush);
  }

  /** The promotion with its targets, gate verdicts and approvals, if it exists. */
  public Uni<Optional<PromotionView>> view(Mutiny.Session session, UUID id) {
    return session
        .find(PromotionEntity.class, id)
        .chain(
            p ->
                p == null
                    ? Uni.createFrom().item(Optional.<PromotionView>empty())
                    : viewOf(session, p).map(Optional::of));
  }

  /** The pipeline's promotions, newest first. */
  public Uni<List<PromotionView>> history(Mutiny.Session session, UUID pipelineId, int limit) {
    return session
        .createSelectionQuery(
            "from PromotionEntity where pipelineId = :id order by createdAt desc",
            PromotionEntity.class)
        .setParameter("id", pipelineId)
        .setMaxResults(limit)
        .getResultList()
        .chain(
            all -> {
              Uni<List<PromotionView>> acc = Uni.createFrom().item(new ArrayList<>());
              for (PromotionEntity p : all) {
                acc =
                    acc.chain(
                        list ->
                            viewOf(session, p)
                                .map(
                                    v -> {
                                      list.add(v);
                                      return list;
                                    }));
              }
              return acc;
            });
  }

  private Uni<PromotionView> viewOf(Mutiny.Session session, PromotionEntity p) {
    return targets(session, p.id)
        .chain(
            targets ->
                gateRows(session, p.id)
                    .map(
                        rows ->
                            rows.stream()
                                .map(PromotionStore::toRecord)
                                .sorted(Comparator.comparingInt(g -> g.verdict().gate().ordinal()))
                                .toList())
                    .chain(
                        gates ->
                            approvals(session, p.id)
                                .map(a -> new PromotionView(toRecord(p), targets, gates, a))));
  }

  private static Uni<List<PromotionTargetEntity>> targetRows(
      Mutiny.Session session, UUID promotionId) {
    return session
        .createSelectionQuery(
            "from PromotionTargetEntity where promotionId = :id order by appName",
            PromotionTargetEntity.class)
        .setParameter("id", promotionId)
        .getResultList();
  }

  private static Uni<List<PromotionGateEntity>> gateRows(Mutiny.Session session, UUID promotionId) {
    return session
        .createSelectionQuery(
            "from PromotionGateEntity where promotionId = :id", PromotionGateEntity.class)
        .setParameter("id", promotionId)
        .getResultList();
  }

  private static Promotion toRecord(PromotionEntity p) {
    return new Promotion(
        p.id,
        p.pipelineId,
        p.sourceApp,
        p.sourceReleaseId,
        p.sourceVersion,
        p.artifactDigest,
        p.commitSha,
        PromotionStatus.of(p.status),
        p.requestedBy,
        p.createdAt,
        p.requestedAt,
        p.completedAt);
  }

  private static PromotionTarget toRecord(PromotionTargetEntity t) {
    return new PromotionTarget(t.appName, TargetStatus.of(t.status), t.releaseId, t.error);
  }

  private static RecordedVerdict toRecord(PromotionGateEntity g) {
    Gate gate = Gate.valueOf(g.gate.toUpperCase(Locale.ROOT));
    return new RecordedVerdict(new GateVerdict(gate, g.passed, g.reason), g.evaluatedAt);
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}

package dev.slipway.promotion.promotion;

import dev.slipway.events.EventType;
import dev.slipway.events.promotion.PromotionCompleted;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.platform.inbox.CatchUp;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.persistence.AdvisoryLocks;
import dev.slipway.promotion.history.BuildRecord;
import dev.slipway.promotion.history.History;
import dev.slipway.promotion.history.ReleaseRecord;
import dev.slipway.promotion.pipeline.Pipeline;
import dev.slipway.promotion.pipeline.PipelineSpec;
import dev.slipway.promotion.pipeline.Pipelines;
import dev.slipway.promotion.promotion.persistence.PromotionApprovalEntity;
import dev.slipway.promotion.promotion.persistence.PromotionEntity;
import dev.slipway.promotion.promotion.persistence.PromotionGateEntity;
import dev.slipway.promotion.promotion.persistence.PromotionTargetEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Creates promotions, evaluates their gates, records approvals and completes them from the deploy
 * service's target results. Everything about one pipeline's promotions runs under that pipeline's
 * advisory lock, so two promotions to the same target can never both be requested.
 */
@ApplicationScoped
public class Promotions {

  private final Mutiny.SessionFactory sessionFactory;
  private final Pipelines pipelines;
  private final History history;
  private final Outbox outbox;
  private final CatchUp catchUp;

  /** The channel that carries release events into the history this service answers from. */
  private static final String RELEASES_CHANNEL = "releases";

  public Promotions(
      Mutiny.SessionFactory sessionFactory,
      Pipelines pipelines,
      History history,
      Outbox outbox,
      CatchUp catchUp) {
    this.sessionFactory = sessionFactory;
    this.pipelines = pipelines;
    this.history = history;
    this.outbox = outbox;
    this.catchUp = catchUp;
  }

  /**
   * Creates a promotion of {@code sourceApp}'s release {@code version} (its current release when
   * empty) to {@code targets} (the next stage's apps when empty), then evaluates its gates.
   */
  public Uni<PromotionView> create(
      UUID pipelineId,
      String sourceApp,
      Optional<Integer> version,
      List<String> targets,
      String requestedBy) {
    return sessionFactory.withTransaction(
        session ->
            lock(session, pipelineId)
                .chain(() -> pipelines.find(session, pipelineId))
                .chain(
                    found -> {
                      Pipeline pipeline =
                          found.orElseThrow(
                              () ->
                                  new PromotionRefusedException(
                                      404, null, "no pipeline " + pipelineId));
                      List<String> resolvedTargets =
                          resolveTargets(pipeline.spec(), sourceApp, targets);
                      return sourceRelease(session, sourceApp, version)
                          .chain(
                              release ->
                                  knownArtifact(session, release)
                                      .chain(
                                          build ->
                                              insert(
                                                  session,
                                                  pipelineId,
                                                  release,
                                                  build,
                                                  resolvedTargets,
                                                  requestedBy)))
                          .chain(promotion -> evaluate(session, pipeline, promotion))
                          .chain(promotion -> view(session, promotion.id));
                    }));
  }

  /** Adds {@code approver}'s approval and re-evaluates the gates. */
  public Uni<PromotionView> approve(UUID promotionId, String approver) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(PromotionEntity.class, promotionId)
                .chain(
                    p -> {
                      if (p == null) {
                        throw new PromotionRefusedException(
                            404, null, "no promotion " + promotionId);
                      }
                      return lock(session, p.pipelineId)
                          .chain(() -> session.refresh(p))
                          .chain(() -> pipelines.find(session, p.pipelineId))
                          .chain(
                              pipeline -> {
                                PipelineSpec spec =
                                    pipeline
                                        .orElseThrow(
                                            () ->
                                                new PromotionRefusedException(
                                                    409, null, "the pipeline was deleted"))
                                        .spec();
                                if (p.requestedAt != null || !"pending".equals(p.status)) {
                                  throw new PromotionRefusedException(
                                      409,
                                      null,
                                      "promotion " + promotionId + " no longer needs approvals");
                                }
                                if (approver.equals(p.requestedBy)
                                    && !spec.promotionPolicy().selfApproval()) {
                                  throw new PromotionRefusedException(
                                      403,
                                      null,
                                      "self-approval is off for this pipeline: "
                                          + approver
                                          + " requested this promotion and cannot approve it");
                                }
                                return approvals(session, promotionId)
                                    .chain(
                                        existing -> {
                                          if (existing.stream()
                                              .anyMatch(a -> a.approver.equals(approver))) {
                                            return Uni.createFrom().voidItem();
                                          }
                                          PromotionApprovalEntity a = new PromotionApprovalEntity();
                                          a.id = UUID.randomUUID();
                                          a.promotionId = promotionId;
                                          a.approver = approver;
                                          a.approvedAt = OffsetDateTime.now(ZoneOffset.UTC);
                                          return session.persist(a).chain(session::flush);
                                        })
                                    .chain(() -> evaluate(session, pipeline.get(), p));
                              })
                          .chain(() -> view(session, promotionId));
                    }));
  }

  /**
   * Records a target's result from the deploy-service, in the consumer's transaction; completes the
   * promotion when every target is terminal and gives waiting promotions of the pipeline their
   * turn.
   */
  public Uni<Void> targetFinished(
      Mutiny.Session session,
      UUID promotionId,
      String app,
      TargetStatus status,
      String releaseId,
      String error) {
    return session
        .find(PromotionEntity.class, promotionId)
        .chain(
            p -> {
              if (p == null) {
                // Not ours (or deleted): nothing to complete.
                return Uni.createFrom().voidItem();
              }
              return lock(session, p.pipelineId)
                  .chain(() -> session.refresh(p))
                  .chain(() -> targets(session, promotionId))
                  .chain(
                      targets -> {
                        targets.stream()
                            .filter(t -> t.appName.equals(app))
                            .filter(t -> !TargetStatus.of(t.status).isTerminal())
                            .forEach(
                                t -> {
                                  t.status = status.id();
                                  t.releaseId = releaseId;
                                  t.error = error;
                                });
                        boolean done =
                            targets.stream().allMatch(t -> TargetStatus.of(t.status).isTerminal());
                        if (!done || PromotionStatus.of(p.status).isTerminal()) {
                          return Uni.createFrom().voidItem();
                        }
                        p.status = PromotionStatus.COMPLETED.id();
                        p.completedAt = OffsetDateTime.now(ZoneOffset.UTC);
                        return outbox
                            .record(
                                session,
                                EventType.PROMOTION_COMPLETED,
                                new PromotionCompleted(
                                    p.pipelineId.toString(),
                                    p.id.toString(),
                                    dev.slipway.events.promotion.PromotionStatus.COMPLETED,
                                    targets.stream()
                                        .map(
                                            t ->
                                                new PromotionCompleted.Target(
                                                    t.appName,
                                                    PromotionTargetStatus.valueOf(
                                                        t.status.toUpperCase(
                                                            java.util.Locale.ROOT)),
                                                    t.error))
                                        .toList()))
                            .chain(session::flush)
                            .chain(() -> reevaluateWaiting(session, p.pipelineId));
                      });
            });
  }

  /** Re-evaluates every promotion still waiting on its gates (new test runs, releases...). */
  public Uni<Void> reevaluateAllWaiting() {
    return sessionFactory
        .withSession(
            session ->
                session
                    .createSelectionQuery(
                        "select distinct p.pipelineId from PromotionEntity p"
                            + " where p.status = 'pending' and p.requestedAt is null",
                        UUID.class)
                    .getResultList())
        .chain(
            ids -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (UUID id : ids) {
                chain =
                    chain.chain(
                        () ->
                            sessionFactory.withTransaction(
                                session ->
                                    lock(session, id).chain(() -> reevaluateWaiting(session, id))));
              }
              return chain;
            });
  }

  public Uni<Optional<PromotionView>> find(UUID id) {
    return sessionFactory.withSession(
        session ->
            session
                .find(PromotionEntity.class, id)
                .chain(
                    p ->
                        p == null
                            ? Uni.createFrom().item(Optional.<PromotionView>empty())
                            : view(session, id).map(Optional::of)));
  }

  /** The pipeline's promotions, newest first. */
  public Uni<List<PromotionView>> history(UUID pipelineId, int limit) {
    return sessionFactory.withSession(
        session ->
            session
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
                                    view(session, p.id)
                                        .map(
                                            v -> {
                                              list.add(v);
                                              return list;
                                            }));
                      }
                      return acc;
                    }));
  }

  private Uni<Void> reevaluateWaiting(Mutiny.Session session, UUID pipelineId) {
    return pipelines
        .find(session, pipelineId)
        .chain(
            pipeline -> {
              if (pipeline.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return session
                  .createSelectionQuery(
                      "from PromotionEntity where pipelineId = :id and status = 'pending'"
                          + " and requestedAt is null order by createdAt",
                      PromotionEntity.class)
                  .setParameter("id", pipelineId)
                  .getResultList()
                  .chain(
                      waiting -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (PromotionEntity p : waiting) {
                          chain =
                              chain.chain(
                                  () -> evaluate(session, pipeline.get(), p).replaceWithVoid());
                        }
                        return chain;
                      });
            });
  }

  /** Evaluates every gate, stores the verdicts, and requests the promotion when all pass. */
  private Uni<PromotionEntity> evaluate(
      Mutiny.Session session, Pipeline pipeline, PromotionEntity p) {
    if (p.requestedAt != null) {
      return Uni.createFrom().item(p);
    }
    PipelineSpec.PromotionPolicy policy = pipeline.spec().promotionPolicy();
    return targets(session, p.id)
        .chain(
            targets -> {
              List<String> apps = targets.stream().map(t -> t.appName).toList();
              return sourceGate(session, p)
                  .chain(
                      source ->
                          testsGate(session, p, policy)
                              .chain(
                                  tests ->
                                      approvalsGate(session, p, policy)
                                          .chain(
                                              approvals ->
                                                  targetsFreeGate(session, p, apps)
                                                      .map(
                                                          free ->
                                                              List.of(
                                                                  source, tests, approvals,
                                                                  free)))))
                  .chain(verdicts -> storeVerdicts(session, p, verdicts))
                  .chain(
                      verdicts -> {
                        if (!verdicts.stream().allMatch(GateVerdict::passed)) {
                          return Uni.createFrom().item(p);
                        }
                        p.requestedAt = OffsetDateTime.now(ZoneOffset.UTC);
                        return outbox
                            .record(
                                session,
                                EventType.PROMOTION_REQUESTED,
                                new PromotionRequested(
                                    p.pipelineId.toString(),
                                    p.id.toString(),
                                    p.sourceApp,
                                    p.sourceReleaseId,
                                    p.artifactDigest,
                                    apps))
                            .chain(session::flush)
                            .replaceWith(p);
                      });
            });
  }

  private Uni<GateVerdict> sourceGate(Mutiny.Session session, PromotionEntity p) {
    return history
        .release(session, p.sourceApp, p.sourceVersion)
        .map(
            release -> {
              String name = p.sourceApp + " v" + p.sourceVersion;
              if (release.isEmpty()) {
                return GateVerdict.block(Gate.SOURCE_RELEASE, name + " is not known");
              }
              if (!release.get().succeeded()) {
                return GateVerdict.block(
                    Gate.SOURCE_RELEASE,
                    name + " has not succeeded (" + release.get().status() + ")");
              }
              return GateVerdict.pass(Gate.SOURCE_RELEASE, name + " succeeded");
            });
  }

  private Uni<GateVerdict> testsGate(
      Mutiny.Session session, PromotionEntity p, PipelineSpec.PromotionPolicy policy) {
    if (!policy.requirePassingTests()) {
      return Uni.createFrom()
          .item(GateVerdict.pass(Gate.TESTS, "the pipeline does not require passing tests"));
    }
    if (p.commitSha == null) {
      return Uni.createFrom()
          .item(GateVerdict.block(Gate.TESTS, "the artifact's commit is not known"));
    }
    String commit = p.commitSha.substring(0, Math.min(7, p.commitSha.length()));
    return history
        .latestTestRun(session, p.pipelineId.toString(), p.commitSha)
        .map(
            run -> {
              if (run.isEmpty()) {
                return GateVerdict.block(Gate.TESTS, "no test run of " + commit + " yet");
              }
              String name = "test run #" + run.get().number() + " of " + commit;
              return run.get().succeeded()
                  ? GateVerdict.pass(Gate.TESTS, name + " succeeded")
                  : GateVerdict.block(Gate.TESTS, name + " is " + run.get().status());
            });
  }

  private Uni<GateVerdict> approvalsGate(
      Mutiny.Session session, PromotionEntity p, PipelineSpec.PromotionPolicy policy) {
    int required = policy.requiredApprovals();
    if (required == 0) {
      return Uni.createFrom().item(GateVerdict.pass(Gate.APPROVALS, "no approval required"));
    }
    return approvals(session, p.id)
        .map(
            given ->
                given.size() >= required
                    ? GateVerdict.pass(
                        Gate.APPROVALS, given.size() + " of " + required + " approvals")
                    : GateVerdict.block(
                        Gate.APPROVALS, given.size() + " of " + required + " required approvals"));
  }

  private Uni<GateVerdict> targetsFreeGate(
      Mutiny.Session session, PromotionEntity p, List<String> apps) {
    return session
        .createSelectionQuery(
            "select t.appName, o.id from PromotionTargetEntity t, PromotionEntity o"
                + " where t.promotionId = o.id and o.id <> :id and o.status = 'pending'"
                + " and o.requestedAt is not null and t.appName in :apps",
            Object[].class)
        .setParameter("id", p.id)
        .setParameter("apps", apps)
        .setMaxResults(1)
        .getResultList()
        .map(
            busy ->
                busy.isEmpty()
                    ? GateVerdict.pass(
                        Gate.TARGETS_FREE, "no other promotion to these apps in flight")
                    : GateVerdict.block(
                        Gate.TARGETS_FREE,
                        busy.get(0)[0] + " is being promoted by promotion " + busy.get(0)[1]));
  }

  private static Uni<List<GateVerdict>> storeVerdicts(
      Mutiny.Session session, PromotionEntity p, List<GateVerdict> verdicts) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return session
        .createSelectionQuery(
            "from PromotionGateEntity where promotionId = :id", PromotionGateEntity.class)
        .setParameter("id", p.id)
        .getResultList()
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
                              g.promotionId = p.id;
                              g.gate = v.gate().id();
                              added.add(g);
                              return g;
                            });
                row.passed = v.passed();
                row.reason = v.reason();
                row.evaluatedAt = now;
              }
              return session
                  .persistAll(added.toArray())
                  .chain(session::flush)
                  .replaceWith(verdicts);
            });
  }

  private Uni<ReleaseRecord> sourceRelease(
      Mutiny.Session session, String app, Optional<Integer> version) {
    Uni<Optional<ReleaseRecord>> found =
        version.isPresent()
            ? history.release(session, app, version.get())
            : history.latestSucceededRelease(session, app);
    return found.flatMap(
        r ->
            r.isPresent()
                ? Uni.createFrom().item(r.get())
                : catchUp
                    .caughtUp(RELEASES_CHANNEL)
                    .map(
                        caughtUp -> {
                          // Right after a start the release may exist but not be read yet.
                          throw caughtUp
                              ? new PromotionRefusedException(
                                  422,
                                  "source.release",
                                  version
                                      .map(v -> app + " has no release v" + v)
                                      .orElse(app + " has no succeeded release to promote"))
                              : new PromotionRefusedException(
                                  503,
                                  "source.release",
                                  "promotion-service is still reading release events (catching"
                                      + " up after a start): retry shortly");
                        }));
  }

  private Uni<BuildRecord> knownArtifact(Mutiny.Session session, ReleaseRecord release) {
    if (release.artifactDigest() == null) {
      throw new PromotionRefusedException(
          422, "source.release", "release v" + release.version() + " has no artifact");
    }
    return history
        .buildOfArtifact(session, release.artifactDigest())
        .map(
            b ->
                b.orElseThrow(
                    () ->
                        new PromotionRefusedException(
                            422,
                            "source.release",
                            "the source artifact "
                                + release.artifactDigest()
                                + " is unknown: no successful build produced it")));
  }

  private static Uni<PromotionEntity> insert(
      Mutiny.Session session,
      UUID pipelineId,
      ReleaseRecord release,
      BuildRecord build,
      List<String> targets,
      String requestedBy) {
    PromotionEntity p = new PromotionEntity();
    p.id = UUID.randomUUID();
    p.pipelineId = pipelineId;
    p.sourceApp = release.appName();
    p.sourceReleaseId = release.releaseId();
    p.sourceVersion = release.version();
    p.artifactDigest = release.artifactDigest();
    p.commitSha = build.commitSha();
    p.status = PromotionStatus.PENDING.id();
    p.requestedBy = requestedBy;
    p.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
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
        .replaceWith(p);
  }

  /** Explicit targets must be other apps of the pipeline; by default, the next stage's apps. */
  private static List<String> resolveTargets(
      PipelineSpec spec, String sourceApp, List<String> requested) {
    Optional<PipelineSpec.Coupling> source =
        spec.couplings().stream().filter(c -> c.appName().equals(sourceApp)).findFirst();
    if (source.isEmpty()) {
      throw new PromotionRefusedException(
          422, "source.app", sourceApp + " is not an app of pipeline " + spec.name());
    }
    if (!requested.isEmpty()) {
      Set<String> coupled =
          Set.copyOf(spec.couplings().stream().map(PipelineSpec.Coupling::appName).toList());
      for (String app : requested) {
        if (!coupled.contains(app) || app.equals(sourceApp)) {
          throw new PromotionRefusedException(
              422, "targets", app + " is not another app of pipeline " + spec.name());
        }
      }
      return List.copyOf(new java.util.LinkedHashSet<>(requested));
    }
    String next =
        switch (source.get().stage()) {
          case "review" -> "staging";
          case "staging" -> "production";
          default -> null;
        };
    List<String> apps =
        spec.couplings().stream()
            .filter(c -> c.stage().equals(next))
            .map(PipelineSpec.Coupling::appName)
            .toList();
    if (apps.isEmpty()) {
      throw new PromotionRefusedException(
          422,
          "targets",
          "no app in the stage after " + source.get().stage() + "; name the targets");
    }
    return apps;
  }

  private static Uni<Void> lock(Mutiny.Session session, UUID pipelineId) {
    return AdvisoryLocks.lock(session, "slipway-promotions-" + pipelineId);
  }

  private static Uni<List<PromotionTargetEntity>> targets(Mutiny.Session session, UUID id) {
    return session
        .createSelectionQuery(
            "from PromotionTargetEntity where promotionId = :id order by appName",
            PromotionTargetEntity.class)
        .setParameter("id", id)
        .getResultList();
  }

  private static Uni<List<PromotionApprovalEntity>> approvals(Mutiny.Session session, UUID id) {
    return session
        .createSelectionQuery(
            "from PromotionApprovalEntity where promotionId = :id order by approvedAt",
            PromotionApprovalEntity.class)
        .setParameter("id", id)
        .getResultList();
  }

  private static Uni<PromotionView> view(Mutiny.Session session, UUID id) {
    return session
        .find(PromotionEntity.class, id)
        .chain(
            p ->
                targets(session, id)
                    .chain(
                        targets ->
                            session
                                .createSelectionQuery(
                                    "from PromotionGateEntity where promotionId = :id",
                                    PromotionGateEntity.class)
                                .setParameter("id", id)
                                .getResultList()
                                .map(
                                    gates ->
                                        gates.stream()
                                            .sorted(
                                                java.util.Comparator.comparingInt(
                                                    g ->
                                                        Gate.valueOf(
                                                                g.gate.toUpperCase(
                                                                    java.util.Locale.ROOT))
                                                            .ordinal()))
                                            .toList())
                                .chain(
                                    gates ->
                                        approvals(session, id)
                                            .map(a -> new PromotionView(p, targets, gates, a)))));
  }
}

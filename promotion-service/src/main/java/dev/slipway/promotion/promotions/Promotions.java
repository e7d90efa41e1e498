package dev.slipway.promotion.promotions;

import dev.slipway.events.EventType;
import dev.slipway.platform.inbox.CatchUp;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.work.InSequence;
import dev.slipway.promotion.history.BuildRecord;
import dev.slipway.promotion.history.History;
import dev.slipway.promotion.history.ReleaseRecord;
import dev.slipway.promotion.history.TestRunRecord;
import dev.slipway.promotion.pipeline.Pipeline;
import dev.slipway.promotion.pipeline.PipelineSpec;
import dev.slipway.promotion.pipeline.Pipelines;
import dev.slipway.promotion.promotions.persistence.PromotionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Creates promotions, evaluates their gates ({@link PromotionGates}), records approvals and
 * completes them from the deploy service's target results. Everything about one pipeline's
 * promotions runs under that pipeline's lock ({@link PromotionStore#lock}), so two promotions to
 * the same target can never both be requested.
 */
@ApplicationScoped
public class Promotions {

  private final Mutiny.SessionFactory sessionFactory;
  private final PromotionStore store;
  private final Pipelines pipelines;
  private final History history;
  private final Outbox outbox;
  private final CatchUp catchUp;

  /** The channel that carries release events into the history this service answers from. */
  private static final String RELEASES_CHANNEL = "releases";

  public Promotions(
      Mutiny.SessionFactory sessionFactory,
      PromotionStore store,
      Pipelines pipelines,
      History history,
      Outbox outbox,
      CatchUp catchUp) {
    this.sessionFactory = sessionFactory;
    this.store = store;
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
            store
                .lock(session, pipelineId)
                .chain(() -> pipelines.find(session, pipelineId))
                .chain(
                    found -> {
                      Pipeline pipeline =
                          found.orElseThrow(
                              () ->
                                  new PromotionRefusedException(
                                      404, null, "no pipeline " + pipelineId));
                      List<String> resolvedTargets =
                          PromotionTargets.resolve(pipeline.spec(), sourceApp, targets);
                      return sourceRelease(session, sourceApp, version)
                          .chain(
                              release ->
                                  knownArtifact(session, release)
                                      .chain(
                                          build ->
                                              store.insert(
                                                  session,
                                                  pipelineId,
                                                  release.appName(),
                                                  release.releaseId(),
                                                  release.version(),
                                                  release.artifactDigest(),
                                                  build.commitSha(),
                                                  resolvedTargets,
                                                  requestedBy)))
                          .chain(promotion -> evaluate(session, pipeline, promotion))
                          .chain(promotion -> viewOf(session, promotion.id()));
                    }));
  }

  /** Adds {@code approver}'s approval and re-evaluates the gates. */
  public Uni<PromotionView> approve(UUID promotionId, String approver) {
    return sessionFactory.withTransaction(
        session ->
            store
                .findLocked(session, promotionId)
                .chain(
                    found -> {
                      Promotion p =
                          found.orElseThrow(
                              () ->
                                  new PromotionRefusedException(
                                      404, null, "no promotion " + promotionId));
                      return pipelines
                          .find(session, p.pipelineId())
                          .chain(
                              pipeline -> {
                                PipelineSpec spec =
                                    pipeline
                                        .orElseThrow(
                                            () ->
                                                new PromotionRefusedException(
                                                    409, null, "the pipeline was deleted"))
                                        .spec();
                                if (!p.awaitingGates()) {
                                  throw new PromotionRefusedException(
                                      409,
                                      null,
                                      "promotion " + promotionId + " no longer needs approvals");
                                }
                                if (approver.equals(p.requestedBy())
                                    && !spec.promotionPolicy().selfApproval()) {
                                  throw new PromotionRefusedException(
                                      403,
                                      null,
                                      "self-approval is off for this pipeline: "
                                          + approver
                                          + " requested this promotion and cannot approve it");
                                }
                                return store
                                    .addApproval(session, promotionId, approver)
                                    .chain(() -> evaluate(session, pipeline.get(), p));
                              })
                          .chain(() -> viewOf(session, promotionId));
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
    return store
        .findLocked(session, promotionId)
        .chain(
            found -> {
              if (found.isEmpty()) {
                // Not ours (or deleted): nothing to complete.
                return Uni.createFrom().voidItem();
              }
              Promotion p = found.get();
              return store
                  .finishTarget(session, promotionId, app, status, releaseId, error)
                  .chain(
                      targets -> {
                        boolean done = targets.stream().allMatch(t -> t.status().isTerminal());
                        if (!done || p.status().isTerminal()) {
                          return Uni.createFrom().voidItem();
                        }
                        return store
                            .markCompleted(session, promotionId)
                            .chain(
                                () ->
                                    outbox.record(
                                        session,
                                        EventType.PROMOTION_COMPLETED,
                                        PromotionEvents.completed(p, targets)))
                            .chain(session::flush)
                            .chain(() -> reevaluateWaiting(session, p.pipelineId()));
                      });
            });
  }

  /** Re-evaluates every promotion still waiting on its gates (new test runs, releases...). */
  public Uni<Void> reevaluateAllWaiting() {
    return sessionFactory
        .withSession(store::pipelinesWithWaiting)
        .chain(
            ids ->
                InSequence.forEach(
                    ids,
                    id ->
                        sessionFactory.withTransaction(
                            session ->
                                store
                                    .lock(session, id)
                                    .chain(() -> reevaluateWaiting(session, id)))));
  }

  public Uni<Optional<PromotionView>> find(UUID id) {
    return sessionFactory.withSession(session -> store.view(session, id));
  }

  /** The pipeline's promotions, newest first. */
  public Uni<List<PromotionView>> history(UUID pipelineId, int limit) {
    return sessionFactory.withSession(session -> store.history(session, pipelineId, limit));
  }

  private Uni<Void> reevaluateWaiting(Mutiny.Session session, UUID pipelineId) {
    return pipelines
        .find(session, pipelineId)
        .chain(
            pipeline -> {
              if (pipeline.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return store
                  .waiting(session, pipelineId)
                  .chain(
                      waiting ->
                          InSequence.forEach(waiting, p -> evaluate(session, pipeline.get(), p)));
            });
  }

  /**
   * Gathers the gates' facts, stores the verdicts, and requests the promotion when all pass. Only a
   * promotion still awaiting its gates is evaluated.
   */
  private Uni<Promotion> evaluate(Mutiny.Session session, Pipeline pipeline, Promotion p) {
    if (p.requestedAt() != null) {
      return Uni.createFrom().item(p);
    }
    return store
        .targets(session, p.id())
        .chain(
            targets -> {
              List<String> apps = targets.stream().map(PromotionTarget::app).toList();
              return facts(session, p, apps)
                  .map(facts -> PromotionGates.evaluate(facts, pipeline.spec().promotionPolicy()))
                  .chain(
                      decision ->
                          store
                              .storeVerdicts(session, p.id(), decision.verdicts())
                              .replaceWith(decision))
                  .chain(
                      decision -> {
                        if (!decision.passed()) {
                          return Uni.createFrom().item(p);
                        }
                        return store
                            .markRequested(session, p.id())
                            .chain(
                                () ->
                                    outbox.record(
                                        session,
                                        EventType.PROMOTION_REQUESTED,
                                        PromotionEvents.requested(p, apps)))
                            .chain(session::flush)
                            .replaceWith(p);
                      });
            });
  }

  /** What the gates of {@code p} look at, read in the caller's (locked) transaction. */
  private Uni<GateFacts> facts(Mutiny.Session session, Promotion p, List<String> apps) {
    Optional<String> commit = Optional.ofNullable(p.commitSha());
    Uni<Optional<TestRunRecord>> latestRun =
        commit.isEmpty()
            ? Uni.createFrom().item(Optional.empty())
            : history.latestTestRun(session, p.pipelineId().toString(), commit.get());
    return history
        .release(session, p.sourceApp(), p.sourceVersion())
        .chain(
            release ->
                latestRun.chain(
                    run ->
                        store
                            .approvals(session, p.id())
                            .chain(
                                approvals ->
                                    store
                                        .otherInFlight(session, p.id(), apps)
                                        .map(
                                            busy ->
                                                new GateFacts(
                                                    p.sourceApp(),
                                                    p.sourceVersion(),
                                                    release.map(ReleaseRecord::status),
                                                    commit,
                                                    run.map(
                                                        r ->
                                                            new GateFacts.TestRun(
                                                                r.number(), r.status())),
                                                    approvals.size(),
                                                    busy)))));
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

  private Uni<PromotionView> viewOf(Mutiny.Session session, UUID promotionId) {
    return store.view(session, promotionId).map(Optional::orElseThrow);
  }
}

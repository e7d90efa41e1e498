package dev.slipway.build.webhook;

import dev.slipway.apps.artifact.Digest;
import dev.slipway.build.builds.Build;
import dev.slipway.build.builds.BuildTrigger;
import dev.slipway.build.builds.Builds;
import dev.slipway.build.builds.NewBuild;
import dev.slipway.build.builds.runner.BuildWorkers;
import dev.slipway.build.webhook.WebhookRejectedException.Reason;
import dev.slipway.events.EventType;
import dev.slipway.events.change.ChangePushed;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.git.RepositoryUrl;
import dev.slipway.platform.inbox.CatchUp;
import dev.slipway.platform.logs.LineLogs;
import dev.slipway.platform.logs.OutputCap;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.persistence.AdvisoryLocks;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.secrets.PlatformSecrets;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Webhook intake: verifies a delivery against its pipeline's secret before reading it, dedupes on
 * the forge's delivery id and on the body per pipeline, and records the change and the build it
 * causes in one transaction. It never builds: it answers as soon as that is committed.
 */
@ApplicationScoped
public class WebhookIntake {

  /** The channel whose events build the pipeline directory. */
  private static final String PIPELINES_CHANNEL = "pipelines";

  private final PipelineDirectory pipelines;
  private final CatchUp catchUp;
  private final PlatformSecrets secrets;
  private final Builds builds;
  private final Outbox outbox;
  private final Mutiny.SessionFactory sessionFactory;
  private final BuildWorkers workers;
  private final LineLogs logs;
  private final int maxBodyBytes;
  private final String schema;
  private final Duration replayWindow;

  public WebhookIntake(
      PipelineDirectory pipelines,
      CatchUp catchUp,
      PlatformSecrets secrets,
      Builds builds,
      Outbox outbox,
      Mutiny.SessionFactory sessionFactory,
      BuildWorkers workers,
      LineLogs logs,
      @ConfigProperty(name = "slipway.schema") String schema,
      @ConfigProperty(name = "slipway.webhooks.max-body-bytes", defaultValue = "5242880")
          int maxBodyBytes,
      @ConfigProperty(name = "slipway.webhooks.replay-window", defaultValue = "P7D")
          Duration replayWindow) {
    this.pipelines = pipelines;
    this.catchUp = catchUp;
    this.secrets = secrets;
    this.builds = builds;
    this.outbox = outbox;
    this.sessionFactory = sessionFactory;
    this.workers = workers;
    this.logs = logs;
    this.maxBodyBytes = maxBodyBytes;
    this.schema = schema;
    this.replayWindow = replayWindow;
  }

  /** Receives a delivery addressed to the pipeline with this id or name. */
  public Uni<IntakeResult> receive(String pipelineRef, Delivery delivery) {
    if (delivery.body().length > maxBodyBytes) {
      return Uni.createFrom()
          .failure(
              new WebhookRejectedException(
                  Reason.TOO_LARGE,
                  "body is "
                      + delivery.body().length
                      + " bytes, above the "
                      + maxBodyBytes
                      + " byte limit"));
    }
    return pipelines
        .find(pipelineRef)
        .flatMap(
            found -> found.isPresent() ? Uni.createFrom().item(found.get()) : unknown(pipelineRef))
        .flatMap(pipeline -> verified(pipeline, delivery));
  }

  /**
   * Refuses a delivery for a pipeline this service does not know: "no pipeline" once it has read
   * every pipeline change, "catching up" (retry) while it has not, as right after the pipeline was
   * created or this service started.
   */
  private Uni<PipelineSnapshot> unknown(String pipelineRef) {
    return catchUp
        .caughtUp(PIPELINES_CHANNEL)
        .map(
            caughtUp -> {
              throw caughtUp
                  ? new WebhookRejectedException(
                      Reason.UNKNOWN_PIPELINE, "no pipeline " + pipelineRef)
                  : new WebhookRejectedException(
                      Reason.CATCHING_UP,
                      "no pipeline "
                          + pipelineRef
                          + " yet: build-service is still reading pipeline changes, retry"
                          + " shortly");
            });
  }

  private Uni<IntakeResult> verified(PipelineSnapshot pipeline, Delivery delivery) {
    String secret = secrets.webhookSecret(pipeline).orElse(null);
    if (secret == null) {
      return Uni.createFrom()
          .failure(
              new WebhookRejectedException(
                  Reason.BAD_SIGNATURE,
                  "this pipeline has no webhook secret: set one with slipway pipelines:update "
                      + pipeline.name()
                      + " --webhook-secret"));
    }
    boolean signed =
        switch (delivery.forge()) {
          case GITHUB ->
              WebhookSignatures.gitHubSignatureMatches(
                  delivery.signature(), delivery.body(), secret);
          case GITLAB -> WebhookSignatures.gitLabTokenMatches(delivery.signature(), secret);
        };
    if (!signed) {
      return Uni.createFrom()
          .failure(
              new WebhookRejectedException(
                  Reason.BAD_SIGNATURE,
                  delivery.signature() == null
                      ? "the delivery is not signed"
                      : "the signature does not match the pipeline's webhook secret"));
    }
    // Only a verified body is parsed.
    if (delivery.deliveryId() == null || delivery.deliveryId().isBlank()) {
      return Uni.createFrom()
          .failure(
              new WebhookPayloadException(
                  delivery.forge() == Delivery.Forge.GITHUB
                      ? "X-GitHub-Delivery"
                      : "X-Gitlab-Event-UUID",
                  "header is missing"));
    }
    if (delivery.event() == null || delivery.event().isBlank()) {
      return Uni.createFrom()
          .failure(
              new WebhookPayloadException(
                  delivery.forge() == Delivery.Forge.GITHUB ? "X-GitHub-Event" : "X-Gitlab-Event",
                  "header is missing"));
    }
    ForgeEvent event =
        delivery.forge() == Delivery.Forge.GITHUB
            ? GitHubPayloads.parse(delivery.event(), delivery.payload())
            : GitLabPayloads.parse(delivery.event(), delivery.payload());
    boolean ours =
        event.repositoryUrls().stream()
            .anyMatch(url -> RepositoryUrl.same(url, pipeline.repositoryUrl()));
    if (!ours && !(event instanceof ForgeEvent.Ping)) {
      return Uni.createFrom()
          .failure(
              new WebhookRejectedException(
                  Reason.UNKNOWN_REPOSITORY,
                  "repository "
                      + event.repositoryUrls().iterator().next()
                      + " is not built by pipeline "
                      + pipeline.name()));
    }
    String bodyDigest = Digest.of(delivery.body()).toString();
    return sessionFactory
        .withTransaction(
            session ->
                seenBefore(session, delivery, pipeline, bodyDigest)
                    .flatMap(
                        seen ->
                            seen.isPresent()
                                ? Uni.createFrom()
                                    .item(
                                        new IntakeResult(
                                            IntakeResult.Outcome.DUPLICATE, null, seen.get()))
                                : act(session, pipeline, delivery, event)
                                    .call(
                                        result ->
                                            remember(
                                                session, delivery, pipeline, bodyDigest, result))))
        .call(this::logReuse)
        .invoke(
            r -> {
              if (r.outcome() == IntakeResult.Outcome.BUILD_QUEUED) {
                workers.wake();
              }
            });
  }

  /**
   * Why this delivery is a repeat, or empty when it is new: its delivery id was seen for this
   * pipeline, or the same body was accepted for it within the replay window (GitHub signs only the
   * body, so a captured delivery replays under any delivery id). Serialised per pipeline and body,
   * so two concurrent copies cannot both pass.
   */
  private Uni<java.util.Optional<String>> seenBefore(
      Mutiny.Session session, Delivery d, PipelineSnapshot p, String bodyDigest) {
    UUID pipelineId = UUID.fromString(p.pipelineId());
    String id = deliveryKey(d);
    // The delivery id's lock first, then the body's: a fixed order, so no two intakes deadlock.
    return AdvisoryLocks.lock(session, "webhook/" + p.pipelineId() + "/" + id)
        .chain(() -> AdvisoryLocks.lock(session, "webhook/" + p.pipelineId() + "/" + bodyDigest))
        .flatMap(
            locked ->
                session
                    .createNativeQuery(
                        "select delivery_id from "
                            + schema
                            + ".webhook_delivery where pipeline_id = :pipeline and (delivery_id"
                            + " = :id or (body_digest = :digest and received_at > :since))"
                            + " order by (delivery_id = :id) desc limit 1",
                        String.class)
                    .setParameter("pipeline", pipelineId)
                    .setParameter("id", id)
                    .setParameter("digest", bodyDigest)
                    .setParameter("since", OffsetDateTime.now(ZoneOffset.UTC).minus(replayWindow))
                    .getResultList())
        .map(
            found -> {
              if (found.isEmpty()) {
                return java.util.Optional.<String>empty();
              }
              return java.util.Optional.of(
                  found.get(0).equals(id)
                      ? "delivery " + d.deliveryId() + " was seen before"
                      : "the same body was accepted before as delivery "
                          + found.get(0).substring(found.get(0).indexOf(':') + 1));
            });
  }

  private Uni<Void> remember(
      Mutiny.Session session,
      Delivery d,
      PipelineSnapshot p,
      String bodyDigest,
      IntakeResult result) {
    return session
        .createNativeQuery(
            "insert into "
                + schema
                + ".webhook_delivery (delivery_id, pipeline_id, event, outcome, build_id,"
                + " received_at, body_digest) values (:id, :pipeline, :event, :outcome, :build,"
                + " :at, :digest)")
        .setParameter("id", deliveryKey(d))
        .setParameter("pipeline", UUID.fromString(p.pipelineId()))
        .setParameter("event", d.event())
        .setParameter("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT))
        .setParameter("build", result.buildId())
        .setParameter("at", OffsetDateTime.now(ZoneOffset.UTC))
        .setParameter("digest", bodyDigest)
        .executeUpdate()
        .replaceWithVoid();
  }

  private static String deliveryKey(Delivery d) {
    return d.forge().name().toLowerCase(java.util.Locale.ROOT) + ":" + d.deliveryId();
  }

  private Uni<IntakeResult> act(
      Mutiny.Session session, PipelineSnapshot pipeline, Delivery delivery, ForgeEvent event) {
    if (event instanceof ForgeEvent.Ping) {
      return done(IntakeResult.Outcome.PONG, null, "pong");
    }
    if (event instanceof ForgeEvent.Unsupported u) {
      return done(IntakeResult.Outcome.IGNORED, null, "event " + u.kind() + " is not acted on");
    }
    if (event instanceof ForgeEvent.Push push) {
      return push(session, pipeline, delivery, push);
    }
    return pullRequest(session, pipeline, (ForgeEvent.PullRequest) event);
  }

  private Uni<IntakeResult> push(
      Mutiny.Session session, PipelineSnapshot pipeline, Delivery delivery, ForgeEvent.Push push) {
    if (push.isTag() || push.branch() == null) {
      return done(IntakeResult.Outcome.IGNORED, null, "tag pushes are not built");
    }
    if (!push.branch().equals(pipeline.branch())) {
      return done(
          IntakeResult.Outcome.IGNORED,
          null,
          "branch "
              + push.branch()
              + " is not followed (pipeline follows "
              + pipeline.branch()
              + ")");
    }
    Uni<Void> change =
        outbox
            .record(
                session,
                EventType.CHANGE_PUSHED,
                new ChangePushed(
                    pipeline.pipelineId(),
                    pipeline.repositoryUrl(),
                    push.ref(),
                    push.branch(),
                    push.beforeSha(),
                    push.afterSha(),
                    push.pusher(),
                    delivery.deliveryId(),
                    push.deleted()))
            .replaceWithVoid();
    if (push.deleted()) {
      return change
          .flatMap(
              v ->
                  builds.cancelQueued(
                      session,
                      UUID.fromString(pipeline.pipelineId()),
                      push.branch(),
                      null,
                      "branch was deleted"))
          .flatMap(
              v ->
                  done(
                      IntakeResult.Outcome.CHANGE_RECORDED,
                      null,
                      "branch " + push.branch() + " deleted"));
    }
    return change
        .flatMap(
            v ->
                builds.enqueue(
                    session,
                    new NewBuild(
                        UUID.fromString(pipeline.pipelineId()),
                        pipeline.repositoryUrl(),
                        push.afterSha(),
                        push.branch(),
                        null,
                        false,
                        BuildTrigger.PUSH,
                        push.pusher())))
        .map(WebhookIntake::queuedOrReused);
  }

  private Uni<IntakeResult> pullRequest(
      Mutiny.Session session, PipelineSnapshot pipeline, ForgeEvent.PullRequest pr) {
    EventType type =
        switch (pr.action()) {
          case OPENED -> EventType.CHANGE_CREATED;
          case REOPENED, SYNCHRONIZED -> EventType.CHANGE_UPDATED;
          case MERGED -> EventType.CHANGE_MERGED;
          case CLOSED -> EventType.CHANGE_ABANDONED;
          case EDITED -> null;
        };
    if (type == null) {
      return done(IntakeResult.Outcome.IGNORED, null, "pull request changed without new commits");
    }
    Uni<Void> change =
        outbox
            .record(
                session,
                type,
                new PullRequestChange(
                    pipeline.pipelineId(),
                    pipeline.repositoryUrl(),
                    pr.number(),
                    pr.title(),
                    pr.url(),
                    pr.headBranch(),
                    pr.headSha(),
                    pr.baseBranch(),
                    pr.author(),
                    pr.fork(),
                    pr.action() == PullRequestAction.MERGED))
            .replaceWithVoid();
    if (!pr.action().buildsHead()) {
      return change
          .flatMap(
              v ->
                  builds.cancelQueued(
                      session,
                      UUID.fromString(pipeline.pipelineId()),
                      pr.headBranch(),
                      pr.number(),
                      "pull request #" + pr.number() + " was closed"))
          .flatMap(
              v ->
                  done(
                      IntakeResult.Outcome.CHANGE_RECORDED,
                      null,
                      "pull request #"
                          + pr.number()
                          + " "
                          + pr.action().name().toLowerCase(java.util.Locale.ROOT)));
    }
    // A fork's commits are fetched from the fork: the base repository may not have them.
    String fetchFrom =
        pr.fork() && pr.headCloneUrl() != null ? pr.headCloneUrl() : pipeline.repositoryUrl();
    return change
        .flatMap(
            v ->
                builds.enqueue(
                    session,
                    new NewBuild(
                        UUID.fromString(pipeline.pipelineId()),
                        fetchFrom,
                        pr.headSha(),
                        pr.headBranch(),
                        pr.number(),
                        pr.fork(),
                        BuildTrigger.PULL_REQUEST,
                        pr.author())))
        .map(WebhookIntake::queuedOrReused);
  }

  private static IntakeResult queuedOrReused(Build b) {
    if (b.reusedFrom() == null) {
      return new IntakeResult(IntakeResult.Outcome.BUILD_QUEUED, b.id(), "build queued");
    }
    return new IntakeResult(IntakeResult.Outcome.BUILD_REUSED, b.id(), reuseNotice(b));
  }

  private static String reuseNotice(Build b) {
    return "commit "
        + b.commitSha()
        + " was already built by build "
        + b.reusedFrom()
        + ": its artifact "
        + b.artifactDigest()
        + " is reused, not rebuilt";
  }

  /** The reusing build's whole log: one line saying which build it reuses. */
  private Uni<Void> logReuse(IntakeResult r) {
    if (r.outcome() != IntakeResult.Outcome.BUILD_REUSED) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom()
        .item(
            () -> {
              try (LineLogs.Writer log =
                  logs.open(r.buildId(), 0, UnaryOperator.identity(), OutputCap.unbounded())) {
                log.line("-----> " + r.reason());
              }
              return (Void) null;
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private static Uni<IntakeResult> done(IntakeResult.Outcome outcome, UUID build, String reason) {
    return Uni.createFrom().item(new IntakeResult(outcome, build, reason));
  }
}

package dev.slipway.build.builds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.build.builds.persistence.BuildEntity;
import dev.slipway.events.EventType;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.build.BuildStarted;
import dev.slipway.events.build.BuiltArtifact;
import dev.slipway.platform.instances.Abandonment;
import dev.slipway.platform.instances.CancelRequests;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.work.InSequence;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The build queue and each build's life: queued, claimed by a worker, finished or cancelled; every
 * change commits together with the event announcing it (outbox).
 */
@ApplicationScoped
public class Builds {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  /**
   * Claims the next queued build for an instance incarnation by stamping it as the owner: pipelines
   * with the fewest running builds first (fair), oldest first within a pipeline (FIFO); skips rows
   * another worker holds.
   */
  private static final String CLAIM_NEXT_QUEUED =
      """
      update %1$s.build set owner_instance = :owner where id = (
        select b.id from %1$s.build b where b.status = 'queued'
        order by (select count(*) from %1$s.build r
                  where r.pipeline_id = b.pipeline_id and r.status = 'running'),
                 b.created_at, b.id
        limit 1 for update skip locked)
      returning id
      """;

  private final Mutiny.SessionFactory sessionFactory;
  private final Outbox outbox;
  private final boolean cancelSuperseded;
  private final String nextQueued;
  private final String schema;

  public Builds(
      Mutiny.SessionFactory sessionFactory,
      Outbox outbox,
      @ConfigProperty(name = "slipway.schema") String schema,
      @ConfigProperty(name = "slipway.builds.cancel-superseded", defaultValue = "true")
          boolean cancelSuperseded) {
    this.sessionFactory = sessionFactory;
    this.outbox = outbox;
    this.cancelSuperseded = cancelSuperseded;
    this.nextQueued = CLAIM_NEXT_QUEUED.formatted(schema);
    this.schema = schema;
  }

  /**
   * Queues a build in the caller's transaction and announces it; with cancel-superseded on, older
   * queued builds of the same branch or pull request are cancelled. A push or pull request of a
   * commit this pipeline already built successfully from the same repository is not built again:
   * the build is recorded as succeeded at once, reusing the earlier build's artifact (see {@link
   * Build#reusedFrom()}). A manual build always builds: it is how a user checks that a rebuild
   * gives the same digest. A trusted build never reuses a fork's.
   */
  public Uni<Build> enqueue(Mutiny.Session session, NewBuild request) {
    if (request.trigger() == BuildTrigger.MANUAL) {
      return enqueueNew(session, request);
    }
    return session
        .createSelectionQuery(
            "from BuildEntity where pipelineId = :p and commitSha = :sha and repositoryUrl = :url"
                + " and status = 'succeeded' and artifactDigest is not null"
                + " and (fork = false or fork = :fork) order by finishedAt desc, id",
            BuildEntity.class)
        .setParameter("p", request.pipelineId())
        .setParameter("sha", request.commitSha())
        .setParameter("url", request.repositoryUrl())
        .setParameter("fork", request.fork())
        .setMaxResults(1)
        .getSingleResultOrNull()
        .flatMap(
            earlier ->
                earlier == null ? enqueueNew(session, request) : reuse(session, request, earlier));
  }

  private Uni<Build> enqueueNew(Mutiny.Session session, NewBuild request) {
    BuildEntity e = newEntity(request);
    Uni<Void> superseded =
        cancelSuperseded && request.trigger() != BuildTrigger.MANUAL
            ? cancelQueued(
                session,
                request.pipelineId(),
                request.branch(),
                request.prNumber(),
                "superseded by a newer push (build " + e.id + ")")
            : Uni.createFrom().voidItem();
    return superseded
        .flatMap(v -> session.persist(e))
        .flatMap(v -> announceQueued(session, e))
        .map(v -> toDomain(e));
  }

  /**
   * Records {@code request} as a succeeded build carrying {@code earlier}'s source bundle and
   * artifact, announced as queued and finished like any build, so test runs and auto-deploy proceed
   * for its branch (test-service reuses the earlier build's verdict).
   */
  private Uni<Build> reuse(Mutiny.Session session, NewBuild request, BuildEntity earlier) {
    BuildEntity e = newEntity(request);
    e.status = BuildPhase.SUCCEEDED.wireName();
    e.startedAt = e.createdAt;
    e.finishedAt = e.createdAt;
    e.sourceBundleDigest = earlier.sourceBundleDigest;
    e.sourceBundleUri = earlier.sourceBundleUri;
    e.artifactDigest = earlier.artifactDigest;
    e.artifactUri = earlier.artifactUri;
    e.artifactSize = earlier.artifactSize;
    e.processTypes = earlier.processTypes;
    e.stack = earlier.stack;
    e.buildpacks = earlier.buildpacks;
    e.appJson = earlier.appJson;
    e.reusedFrom = earlier.reusedFrom == null ? earlier.id : earlier.reusedFrom;
    Uni<Void> superseded =
        cancelSuperseded
            ? cancelQueued(
                session,
                request.pipelineId(),
                request.branch(),
                request.prNumber(),
                "superseded by a newer push (build " + e.id + ")")
            : Uni.createFrom().voidItem();
    return superseded
        .flatMap(v -> session.persist(e))
        .flatMap(v -> announceQueued(session, e))
        .flatMap(v -> announceFinished(session, e, BuildPhase.SUCCEEDED))
        .map(v -> toDomain(e));
  }

  private static BuildEntity newEntity(NewBuild request) {
    BuildEntity e = new BuildEntity();
    e.id = UUID.randomUUID();
    e.pipelineId = request.pipelineId();
    e.repositoryUrl = request.repositoryUrl();
    e.commitSha = request.commitSha();
    e.branch = request.branch();
    e.prNumber = request.prNumber();
    e.fork = request.fork();
    e.trigger = request.trigger().name().toLowerCase(java.util.Locale.ROOT);
    e.requestedBy = request.requestedBy();
    e.status = BuildPhase.QUEUED.wireName();
    e.createdAt = now();
    return e;
  }

  private Uni<Void> announceQueued(Mutiny.Session session, BuildEntity e) {
    return outbox
        .record(
            session,
            EventType.BUILD_QUEUED,
            new BuildQueued(
                e.pipelineId.toString(),
                e.id.toString(),
                e.commitSha,
                e.branch,
                e.prNumber,
                e.fork,
                e.createdAt.toInstant()))
        .replaceWithVoid();
  }

  /**
   * Cancels the queued builds of a branch (or of one pull request when {@code prNumber} is set).
   */
  public Uni<Void> cancelQueued(
      Mutiny.Session session, UUID pipelineId, String branch, Integer prNumber, String reason) {
    String query =
        prNumber == null
            ? "from BuildEntity where pipelineId = :p and status = 'queued' and branch = :key"
                + " and prNumber is null"
            : "from BuildEntity where pipelineId = :p and status = 'queued' and prNumber = :key";
    return session
        .createSelectionQuery(query, BuildEntity.class)
        .setParameter("p", pipelineId)
        .setParameter("key", prNumber == null ? branch : prNumber)
        .getResultList()
        .flatMap(list -> InSequence.forEach(list, old -> finish(session, old, cancelled(reason))));
  }

  /**
   * Cancels a build: a queued one ends at once; a running one is marked and, on commit, the replica
   * running it is told to stop its process tree ({@link CancelRequests}). Returns the build after
   * the change.
   */
  public Uni<Optional<Build>> requestCancel(UUID id, String by) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(BuildEntity.class, id)
                .flatMap(
                    e -> {
                      if (e == null) {
                        return Uni.createFrom().item(Optional.<Build>empty());
                      }
                      BuildPhase phase = BuildPhase.of(e.status);
                      if (phase == BuildPhase.QUEUED) {
                        return finish(session, e, cancelled("cancelled by " + by))
                            .map(v -> Optional.of(toDomain(e)));
                      }
                      if (phase != BuildPhase.RUNNING) {
                        return Uni.createFrom().item(Optional.of(toDomain(e)));
                      }
                      // The instance running it may be another replica: it hears the NOTIFY.
                      e.cancelRequested = true;
                      return CancelRequests.announce(session, schema, id)
                          .map(v -> Optional.of(toDomain(e)));
                    }));
  }

  /**
   * Claims the next queued build for a worker of the instance incarnation {@code owner} and
   * announces that it started.
   */
  public Uni<Optional<Build>> claimNext(UUID owner) {
    return sessionFactory.withTransaction(
        session ->
            session
                .createNativeQuery(nextQueued, UUID.class)
                .setParameter("owner", owner)
                .getResultList()
                .flatMap(
                    ids -> {
                      if (ids.isEmpty()) {
                        return Uni.createFrom().item(Optional.<Build>empty());
                      }
                      return session
                          .find(BuildEntity.class, ids.get(0))
                          .flatMap(
                              e -> {
                                e.status = BuildPhase.RUNNING.wireName();
                                e.startedAt = now();
                                return outbox
                                    .record(
                                        session,
                                        EventType.BUILD_STARTED,
                                        new BuildStarted(
                                            e.pipelineId.toString(),
                                            e.id.toString(),
                                            e.commitSha,
                                            e.branch,
                                            e.prNumber,
                                            e.fork,
                                            e.startedAt.toInstant()))
                                    .map(v -> Optional.of(toDomain(e)));
                              });
                    }));
  }

  /** Records how a running build ended, unless it already ended. */
  public Uni<Build> complete(UUID id, BuildOutcome outcome) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(BuildEntity.class, id)
                .flatMap(e -> finish(session, e, outcome).map(v -> toDomain(e))));
  }

  /**
   * Ends every running build whose owner instance is gone ({@code abandonment} decides): nobody
   * will finish them (DESIGN §7: errored, never stuck). Builds other live instances run are left
   * alone. Returns how many were ended.
   */
  public Uni<Integer> errorAbandoned(Abandonment abandonment) {
    return sessionFactory.withTransaction(
        session ->
            session
                .createSelectionQuery(
                    "select id, ownerInstance from BuildEntity where status = 'running'",
                    Object[].class)
                .getResultList()
                .map(
                    rows ->
                        rows.stream()
                            .filter(row -> abandonment.abandoned((UUID) row[1]))
                            .map(row -> (UUID) row[0])
                            .toList())
                .flatMap(
                    ids ->
                        InSequence.forEach(
                                ids,
                                id ->
                                    session
                                        .find(BuildEntity.class, id)
                                        .flatMap(
                                            e ->
                                                finish(
                                                    session,
                                                    e,
                                                    BuildOutcome.ended(
                                                        BuildPhase.ERRORED,
                                                        "the build-service instance running this"
                                                            + " build stopped while this build was"
                                                            + " running",
                                                        e.sourceBundleDigest,
                                                        e.sourceBundleUri))))
                            .map(v -> ids.size())));
  }

  /** Whether someone asked to cancel this running build. */
  public Uni<Boolean> cancelRequested(UUID id) {
    return sessionFactory.withSession(
        s -> s.find(BuildEntity.class, id).map(e -> e != null && e.cancelRequested));
  }

  public Uni<Optional<Build>> find(UUID id) {
    return sessionFactory.withSession(
        s -> s.find(BuildEntity.class, id).map(e -> Optional.ofNullable(e).map(Builds::toDomain)));
  }

  /** Builds newest first, filtered by whichever of pipeline, branch and phase are given. */
  public Uni<List<Build>> list(
      UUID pipelineId, String branch, BuildPhase phase, int offset, int limit) {
    StringBuilder hql = new StringBuilder("from BuildEntity where 1 = 1");
    if (pipelineId != null) {
      hql.append(" and pipelineId = :pipeline");
    }
    if (branch != null) {
      hql.append(" and branch = :branch");
    }
    if (phase != null) {
      hql.append(" and status = :status");
    }
    hql.append(" order by createdAt desc, id");
    return sessionFactory.withSession(
        s -> {
          var q = s.createSelectionQuery(hql.toString(), BuildEntity.class);
          if (pipelineId != null) {
            q.setParameter("pipeline", pipelineId);
          }
          if (branch != null) {
            q.setParameter("branch", branch);
          }
          if (phase != null) {
            q.setParameter("status", phase.wireName());
          }
          return q.setFirstResult(offset)
              .setMaxResults(limit)
              .getResultList()
              .map(list -> list.stream().map(Builds::toDomain).toList());
        });
  }

  /** How many builds wait for a worker. */
  public Uni<Long> queueLength() {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "select count(*) from BuildEntity where status = 'queued'", Long.class)
                .getSingleResult());
  }

  private Uni<Void> finish(Mutiny.Session session, BuildEntity e, BuildOutcome outcome) {
    if (e == null || BuildPhase.of(e.status).isTerminal()) {
      return Uni.createFrom().voidItem();
    }
    e.status = outcome.phase().wireName();
    e.finishedAt = now();
    e.error = outcome.error();
    e.sourceBundleDigest = outcome.sourceBundleDigest();
    e.sourceBundleUri = outcome.sourceBundleUri();
    e.artifactDigest = outcome.artifactDigest();
    e.artifactUri = outcome.artifactUri();
    e.artifactSize = outcome.artifactSize();
    e.processTypes = toJson(outcome.processTypes());
    e.stack = outcome.stack();
    e.buildpacks = String.join(",", outcome.buildpacks());
    e.appJson = outcome.appJson();
    return announceFinished(session, e, outcome.phase());
  }

  /** build.finished for a build whose row already holds how it ended. */
  private Uni<Void> announceFinished(Mutiny.Session session, BuildEntity e, BuildPhase phase) {
    Build b = toDomain(e);
    BuildFinished.Artifact artifact =
        b.artifactUri() == null
            ? null
            : new BuildFinished.Artifact(
                b.artifactUri(),
                b.artifactSize() == null ? 0 : b.artifactSize(),
                b.processTypes(),
                b.stack(),
                b.buildpacks(),
                e.appJson);
    return announceArtifact(session, b, phase)
        .flatMap(
            v ->
                outbox.record(
                    session,
                    EventType.BUILD_FINISHED,
                    new BuildFinished(
                        e.pipelineId.toString(),
                        e.id.toString(),
                        e.commitSha,
                        e.branch,
                        e.prNumber,
                        e.fork,
                        phase.eventStatus(),
                        e.artifactDigest,
                        e.sourceBundleDigest,
                        e.error,
                        e.finishedAt.toInstant(),
                        e.sourceBundleUri,
                        artifact,
                        e.createdAt.toInstant(),
                        e.reusedFrom == null ? null : e.reusedFrom.toString())))
        .replaceWithVoid();
  }

  /**
   * artifact.packaged and artifact.published for the artifact a build made, before its
   * build.finished; a reused build made none (its artifact was announced when it was built).
   */
  private Uni<Void> announceArtifact(Mutiny.Session session, Build b, BuildPhase phase) {
    if (phase != BuildPhase.SUCCEEDED
        || b.reusedFrom() != null
        || b.artifactDigest() == null
        || b.artifactUri() == null) {
      return Uni.createFrom().voidItem();
    }
    BuiltArtifact artifact =
        new BuiltArtifact(
            b.pipelineId().toString(),
            b.id().toString(),
            b.commitSha(),
            b.repositoryUrl(),
            b.artifactDigest(),
            b.artifactUri(),
            b.artifactSize() == null ? 0 : b.artifactSize());
    return outbox
        .record(session, EventType.ARTIFACT_PACKAGED, artifact)
        .flatMap(v -> outbox.record(session, EventType.ARTIFACT_PUBLISHED, artifact))
        .replaceWithVoid();
  }

  private static BuildOutcome cancelled(String reason) {
    return BuildOutcome.ended(BuildPhase.CANCELLED, reason, null, null);
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  static Build toDomain(BuildEntity e) {
    return new Build(
        e.id,
        e.pipelineId,
        e.repositoryUrl,
        e.commitSha,
        e.branch,
        e.prNumber,
        e.fork,
        BuildTrigger.valueOf(e.trigger.toUpperCase(java.util.Locale.ROOT)),
        e.requestedBy,
        BuildPhase.of(e.status),
        e.createdAt.toInstant(),
        e.startedAt == null ? null : e.startedAt.toInstant(),
        e.finishedAt == null ? null : e.finishedAt.toInstant(),
        e.error,
        e.sourceBundleDigest,
        e.sourceBundleUri,
        e.artifactDigest,
        e.artifactUri,
        e.artifactSize,
        fromJson(e.processTypes),
        e.stack,
        e.buildpacks == null || e.buildpacks.isEmpty()
            ? List.of()
            : new ArrayList<>(Arrays.asList(e.buildpacks.split(","))),
        e.reusedFrom);
  }

  private static String toJson(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> fromJson(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored process types are not JSON", e);
    }
  }
}

package dev.slipway.promotion.pipeline;

import dev.slipway.events.EventType;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.promotion.pipeline.persistence.PipelineEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Creates and reads pipelines; every change is published on the compacted pipelines topic through
 * the outbox, in the transaction that stores it.
 */
@ApplicationScoped
public class Pipelines {

  private final Mutiny.SessionFactory sessionFactory;
  private final Outbox outbox;

  public Pipelines(Mutiny.SessionFactory sessionFactory, Outbox outbox) {
    this.sessionFactory = sessionFactory;
    this.outbox = outbox;
  }

  public Uni<PipelineEntity> create(NewPipeline request) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    PipelineEntity pipeline = new PipelineEntity();
    pipeline.id = UUID.randomUUID();
    pipeline.name = request.name();
    pipeline.repositoryUrl = request.repositoryUrl();
    pipeline.forge = request.forge();
    pipeline.branch = request.branch();
    pipeline.createdAt = now;
    pipeline.updatedAt = now;
    return sessionFactory.withTransaction(
        session ->
            session
                .createSelectionQuery(
                    "select count(p) from PipelineEntity p where p.name = :name", Long.class)
                .setParameter("name", pipeline.name)
                .getSingleResult()
                .chain(
                    taken -> {
                      if (taken > 0) {
                        return Uni.createFrom()
                            .failure(new PipelineNameTakenException(pipeline.name));
                      }
                      return session.persist(pipeline);
                    })
                .chain(
                    () -> outbox.record(session, EventType.PIPELINE_CREATED, snapshotOf(pipeline)))
                .replaceWith(pipeline));
  }

  public Uni<PipelineEntity> find(UUID id) {
    return sessionFactory.withSession(session -> session.find(PipelineEntity.class, id));
  }

  public Uni<List<PipelineEntity>> list() {
    return sessionFactory.withSession(
        session ->
            session
                .createSelectionQuery("from PipelineEntity order by name", PipelineEntity.class)
                .getResultList());
  }

  /**
   * The event payload for a pipeline. Until stages and policies are editable (issue #7), a new
   * pipeline auto-deploys its branch to staging after CI, like Heroku's defaults.
   */
  static PipelineSnapshot snapshotOf(PipelineEntity pipeline) {
    return new PipelineSnapshot(
        pipeline.id.toString(),
        pipeline.name,
        pipeline.repositoryUrl,
        Forge.valueOf(pipeline.forge.toUpperCase(Locale.ROOT)),
        pipeline.branch,
        List.of(),
        new PipelineSnapshot.AutoDeploy(true, pipeline.branch, true),
        new PipelineSnapshot.ReviewApps(false, true, 5),
        pipeline.updatedAt.toInstant());
  }
}

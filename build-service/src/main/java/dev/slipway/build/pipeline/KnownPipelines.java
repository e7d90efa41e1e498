package dev.slipway.build.pipeline;

import dev.slipway.build.pipeline.persistence.PipelineEntity;
import dev.slipway.events.pipeline.PipelineSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** The projection of the pipelines topic: kept current by events, read by intake and builds. */
@ApplicationScoped
public class KnownPipelines {

  private final Mutiny.SessionFactory sessionFactory;

  public KnownPipelines(Mutiny.SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /** Finds a pipeline by id or by name. */
  public Uni<Optional<KnownPipeline>> find(String idOrName) {
    return sessionFactory.withSession(s -> find(s, idOrName));
  }

  /** Finds a pipeline by id or by name, in the caller's session. */
  public Uni<Optional<KnownPipeline>> find(Mutiny.Session session, String idOrName) {
    UUID id = parseId(idOrName);
    Uni<PipelineEntity> entity =
        id != null
            ? session.find(PipelineEntity.class, id)
            : session
                .createSelectionQuery(
                    "from PipelineEntity where name = :name order by updatedAt desc",
                    PipelineEntity.class)
                .setParameter("name", idOrName)
                .setMaxResults(1)
                .getSingleResultOrNull();
    return entity.map(e -> Optional.ofNullable(e).map(KnownPipelines::toDomain));
  }

  /** Applies a created or updated pipeline; an older snapshot than the stored one is ignored. */
  public Uni<Void> apply(Mutiny.Session session, PipelineSnapshot snapshot) {
    UUID id = UUID.fromString(snapshot.pipelineId());
    return session
        .find(PipelineEntity.class, id)
        .flatMap(
            existing -> {
              if (existing != null
                  && existing.updatedAt.toInstant().isAfter(snapshot.updatedAt())) {
                return Uni.createFrom().voidItem();
              }
              PipelineEntity e = existing != null ? existing : new PipelineEntity();
              e.id = id;
              e.name = snapshot.name();
              e.repositoryUrl = snapshot.repositoryUrl();
              e.forge = snapshot.forge().name().toLowerCase(Locale.ROOT);
              e.branch = snapshot.branch();
              e.sealedWebhookSecret =
                  snapshot.sealed() == null ? null : snapshot.sealed().webhookSecret();
              e.updatedAt = snapshot.updatedAt().atOffset(ZoneOffset.UTC);
              return existing != null ? Uni.createFrom().voidItem() : session.persist(e);
            });
  }

  /** Forgets a deleted pipeline; its builds stay in the history. */
  public Uni<Void> delete(Mutiny.Session session, String pipelineId) {
    return session
        .find(PipelineEntity.class, UUID.fromString(pipelineId))
        .flatMap(e -> e == null ? Uni.createFrom().voidItem() : session.remove(e));
  }

  private static KnownPipeline toDomain(PipelineEntity e) {
    return new KnownPipeline(
        e.id, e.name, e.repositoryUrl, e.forge, e.branch, e.sealedWebhookSecret);
  }

  private static UUID parseId(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

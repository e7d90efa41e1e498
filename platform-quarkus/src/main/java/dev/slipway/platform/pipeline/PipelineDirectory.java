package dev.slipway.platform.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.events.EventPayload;
import dev.slipway.events.pipeline.PipelineDeleted;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.pipeline.persistence.PipelineDirectoryEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A service's projection of the pipelines topic: the latest {@link PipelineSnapshot} per pipeline,
 * kept by {@link #apply} from the service's own pipelines consumer, read by id or name.
 */
@ApplicationScoped
public class PipelineDirectory {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Longer than any pipeline name (a DNS label) or id. */
  static final int MAX_REFERENCE_LENGTH = 253;

  private final Mutiny.SessionFactory sessionFactory;

  public PipelineDirectory(Mutiny.SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /**
   * Applies a pipeline event in the consumer's transaction: a snapshot replaces an older one (never
   * a newer one), a deletion forgets the pipeline; other payloads are ignored.
   */
  public Uni<Void> apply(Mutiny.Session session, EventPayload payload) {
    if (payload instanceof PipelineSnapshot snapshot) {
      return upsert(session, snapshot);
    }
    if (payload instanceof PipelineDeleted deleted) {
      return session
          .find(PipelineDirectoryEntry.class, UUID.fromString(deleted.pipelineId()))
          .flatMap(e -> e == null ? Uni.createFrom().voidItem() : session.remove(e));
    }
    return Uni.createFrom().voidItem();
  }

  /** The pipeline with this id, or else this name. */
  public Uni<Optional<PipelineSnapshot>> find(String idOrName) {
    return sessionFactory.withSession(s -> find(s, idOrName));
  }

  /**
   * The pipeline with this id, or else this name, in the caller's session. A reference no pipeline
   * can have (blank, above {@value #MAX_REFERENCE_LENGTH} characters, or with a control character,
   * which PostgreSQL refuses in a text parameter) finds nothing without a query.
   */
  public Uni<Optional<PipelineSnapshot>> find(Mutiny.Session session, String idOrName) {
    if (!couldName(idOrName)) {
      return Uni.createFrom().item(Optional.empty());
    }
    UUID id = parseId(idOrName);
    Uni<PipelineDirectoryEntry> entry =
        id != null
            ? session.find(PipelineDirectoryEntry.class, id)
            : session
                .createSelectionQuery(
                    "from PipelineDirectoryEntry where name = :name order by updatedAt desc",
                    PipelineDirectoryEntry.class)
                .setParameter("name", idOrName)
                .setMaxResults(1)
                .getSingleResultOrNull();
    return entry.map(e -> Optional.ofNullable(e).map(PipelineDirectory::snapshotOf));
  }

  /** Every known pipeline, by name. */
  public Uni<List<PipelineSnapshot>> all() {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery(
                    "from PipelineDirectoryEntry order by name", PipelineDirectoryEntry.class)
                .getResultList()
                .map(list -> list.stream().map(PipelineDirectory::snapshotOf).toList()));
  }

  private Uni<Void> upsert(Mutiny.Session session, PipelineSnapshot snapshot) {
    UUID id = UUID.fromString(snapshot.pipelineId());
    return session
        .find(PipelineDirectoryEntry.class, id)
        .flatMap(
            existing -> {
              if (existing != null
                  && existing.updatedAt.toInstant().isAfter(snapshot.updatedAt())) {
                return Uni.createFrom().voidItem();
              }
              PipelineDirectoryEntry e = existing != null ? existing : new PipelineDirectoryEntry();
              e.id = id;
              e.name = snapshot.name();
              e.repositoryUrl = snapshot.repositoryUrl();
              e.snapshot = toJson(snapshot);
              e.updatedAt = snapshot.updatedAt().atOffset(ZoneOffset.UTC);
              return existing != null ? Uni.createFrom().voidItem() : session.persist(e);
            });
  }

  private static PipelineSnapshot snapshotOf(PipelineDirectoryEntry e) {
    try {
      return JSON.readValue(e.snapshot, PipelineSnapshot.class);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("stored snapshot of pipeline " + e.id + " is not JSON", ex);
    }
  }

  private static String toJson(PipelineSnapshot snapshot) {
    try {
      return JSON.writeValueAsString(snapshot);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static boolean couldName(String ref) {
    return ref != null
        && !ref.isBlank()
        && ref.length() <= MAX_REFERENCE_LENGTH
        && ref.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static UUID parseId(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

package dev.slipway.deploy.apps;

import dev.slipway.deploy.Json;
import dev.slipway.deploy.apps.persistence.AppEntity;
import dev.slipway.deploy.releases.ReleaseRefusedException;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.work.InSequence;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/** Apps: created by pipeline couplings or by hand, with their config vars and formation. */
@ApplicationScoped
public class Apps {

  /** A DNS label, so the name works as a host name and a namespace name. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private final Mutiny.SessionFactory sessionFactory;

  public Apps(Mutiny.SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /** Creates an app; refused when the name is taken or malformed. */
  public Uni<App> create(String name, UUID pipelineId, String stage) {
    if (!NAME.matcher(name).matches()) {
      return Uni.createFrom()
          .failure(
              new ReleaseRefusedException(
                  400,
                  "name",
                  "name: must start with a letter and hold only lower-case letters, digits and"
                      + " dashes (at most 63)"));
    }
    return sessionFactory.withTransaction(
        s ->
            s.find(AppEntity.class, name)
                .flatMap(
                    existing -> {
                      if (existing != null) {
                        return Uni.createFrom()
                            .failure(
                                new ReleaseRefusedException(
                                    409, "name", "name: app " + name + " already exists"));
                      }
                      AppEntity e = newApp(name, pipelineId, stage);
                      return s.persist(e).map(v -> toDomain(e));
                    }));
  }

  /** Creates the apps a pipeline couples that do not exist yet, and keeps their stage current. */
  public Uni<Void> ensureCoupled(Mutiny.Session session, PipelineSnapshot pipeline) {
    return InSequence.forEach(
        pipeline.couplings().stream().filter(c -> NAME.matcher(c.appName()).matches()).toList(),
        c -> {
          UUID pipelineId = UUID.fromString(pipeline.pipelineId());
          String stage = c.stage().name().toLowerCase(Locale.ROOT);
          return session
              .find(AppEntity.class, c.appName())
              .flatMap(
                  e -> {
                    if (e == null) {
                      return session.persist(newApp(c.appName(), pipelineId, stage));
                    }
                    e.pipelineId = pipelineId;
                    e.stage = stage;
                    return Uni.createFrom().voidItem();
                  });
        });
  }

  /**
   * Whether an app could have this name: anything else (a NUL byte, which PostgreSQL refuses in a
   * text parameter, a path, 10,000 characters) is no app, answered without a query.
   */
  public static boolean mayExist(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public Uni<Optional<App>> find(String name) {
    if (!mayExist(name)) {
      return Uni.createFrom().item(Optional.empty());
    }
    return sessionFactory.withSession(
        s -> s.find(AppEntity.class, name).map(e -> Optional.ofNullable(e).map(Apps::toDomain)));
  }

  public Uni<List<App>> list() {
    return sessionFactory.withSession(
        s ->
            s.createSelectionQuery("from AppEntity order by name", AppEntity.class)
                .getResultList()
                .map(list -> list.stream().map(Apps::toDomain).toList()));
  }

  /** The apps coupled to a pipeline in one stage. */
  public Uni<List<App>> inStage(Mutiny.Session session, UUID pipelineId, String stage) {
    return session
        .createSelectionQuery(
            "from AppEntity where pipelineId = :p and stage = :s order by name", AppEntity.class)
        .setParameter("p", pipelineId)
        .setParameter("s", stage)
        .getResultList()
        .map(list -> list.stream().map(Apps::toDomain).toList());
  }

  /** Locks the app row for a change that must not interleave (versions, config). */
  public Uni<AppEntity> lock(Mutiny.Session session, String name) {
    if (!mayExist(name)) {
      return Uni.createFrom().failure(new ReleaseRefusedException(404, null, "no app " + name));
    }
    return session
        .find(AppEntity.class, name, LockModeType.PESSIMISTIC_WRITE)
        .map(
            e -> {
              if (e == null) {
                throw new ReleaseRefusedException(404, null, "no app " + name);
              }
              return e;
            });
  }

  /** Sets the formation (process type → quantity) in the caller's transaction. */
  public Uni<App> setFormation(Mutiny.Session session, String name, Map<String, Integer> changes) {
    return lock(session, name)
        .map(
            e -> {
              Map<String, Integer> formation = Json.ints(e.formation);
              formation.putAll(changes);
              e.formation = Json.write(formation);
              return toDomain(e);
            });
  }

  /** Deletes the app row (its releases go with it). */
  public Uni<Void> delete(Mutiny.Session session, String name) {
    return session
        .find(AppEntity.class, name)
        .flatMap(e -> e == null ? Uni.createFrom().voidItem() : session.remove(e));
  }

  static AppEntity newApp(String name, UUID pipelineId, String stage) {
    AppEntity e = new AppEntity();
    e.name = name;
    e.pipelineId = pipelineId;
    e.stage = stage;
    e.config = "{}";
    e.secretNames = "[]";
    e.formation = "{}";
    e.nextVersion = 1;
    e.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    return e;
  }

  /**
   * Persists a new app in the caller's transaction (review apps), with the names of its config vars
   * that are secret whatever they are called.
   */
  public Uni<AppEntity> persistNew(
      Mutiny.Session session,
      String name,
      UUID pipelineId,
      String stage,
      Map<String, String> config,
      Set<String> secretNames) {
    AppEntity e = newApp(name, pipelineId, stage);
    e.config = Json.write(config);
    e.secretNames = Json.writeNames(secretNames);
    return session.persist(e).replaceWith(e);
  }

  public static App toDomain(AppEntity e) {
    return new App(
        e.name,
        e.pipelineId,
        e.stage,
        Json.strings(e.config),
        Json.names(e.secretNames),
        Json.ints(e.formation),
        e.createdAt.toInstant());
  }
}

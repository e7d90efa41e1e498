package dev.slipway.promotion.history;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Loads a pipeline's production history and computes its DORA keys over a window ending now. */
@ApplicationScoped
public class Dora {

  private final Mutiny.SessionFactory sessionFactory;
  private final History history;

  public Dora(Mutiny.SessionFactory sessionFactory, History history) {
    this.sessionFactory = sessionFactory;
    this.history = history;
  }

  /** The pipeline's DORA keys over {@code window}, or empty when there is no such pipeline. */
  public Uni<Optional<DoraMetrics>> of(UUID pipelineId, DoraWindow window) {
    Instant now = Instant.now();
    return sessionFactory.withSession(
        session ->
            history
                .pipeline(session, pipelineId)
                .chain(
                    found ->
                        found.isEmpty()
                            ? Uni.createFrom().item(Optional.<DoraMetrics>empty())
                            : compute(session, found.get(), window, now).map(Optional::of)));
  }

  private Uni<DoraMetrics> compute(
      Mutiny.Session session, PipelineLayout layout, DoraWindow window, Instant now) {
    String pipelineId = layout.id().toString();
    List<String> apps = layout.apps("production");
    return history
        .releasesOf(session, apps)
        .chain(
            releases -> {
              Set<String> digests = new HashSet<>();
              releases.forEach(r -> digests.add(r.artifactDigest()));
              return history
                  .buildsOfArtifacts(session, digests)
                  .chain(
                      builds -> {
                        Set<String> commits = new HashSet<>();
                        builds.values().forEach(b -> commits.add(b.commitSha()));
                        commits.remove(null);
                        return history
                            .firstPushes(session, pipelineId, commits)
                            .map(
                                pushedAt -> {
                                  Map<String, Instant> pushedAtOfDigest = new HashMap<>();
                                  builds.forEach(
                                      (digest, build) -> {
                                        Instant at = pushedAt.get(build.commitSha());
                                        if (at != null) {
                                          pushedAtOfDigest.put(digest, at);
                                        }
                                      });
                                  return DoraCalculator.compute(
                                      pipelineId, window, apps, releases, pushedAtOfDigest, now);
                                });
                      });
            });
  }
}

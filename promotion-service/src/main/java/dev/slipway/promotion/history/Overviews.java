package dev.slipway.promotion.history;

import dev.slipway.promotion.history.PipelineOverview.AppState;
import dev.slipway.promotion.history.PipelineOverview.PromotionPreview;
import dev.slipway.promotion.history.PipelineOverview.StageApps;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Builds a pipeline's overview from its couplings and the history projections. */
@ApplicationScoped
public class Overviews {

  static final List<String> STAGES = List.of("review", "staging", "production");

  private final Mutiny.SessionFactory sessionFactory;
  private final History history;

  public Overviews(Mutiny.SessionFactory sessionFactory, History history) {
    this.sessionFactory = sessionFactory;
    this.history = history;
  }

  /** The overview of a pipeline, or empty when there is no such pipeline. */
  public Uni<Optional<PipelineOverview>> of(UUID pipelineId) {
    return sessionFactory.withSession(
        session ->
            history
                .pipeline(session, pipelineId)
                .chain(
                    found ->
                        found.isEmpty()
                            ? Uni.createFrom().item(Optional.<PipelineOverview>empty())
                            : build(session, found.get()).map(Optional::of)));
  }

  // A Hibernate Reactive session runs one statement at a time, hence the chain.
  private Uni<PipelineOverview> build(Mutiny.Session session, PipelineLayout layout) {
    String pipelineId = layout.id().toString();
    List<String> apps = layout.couplings().stream().map(PipelineLayout.Coupling::appName).toList();
    return history
        .currentReleases(session, apps)
        .chain(
            releases ->
                history
                    .buildsOfArtifacts(
                        session,
                        releases.values().stream().map(ReleaseRecord::artifactDigest).toList())
                    .chain(
                        builds -> {
                          Set<String> commits = new HashSet<>();
                          builds.values().forEach(b -> commits.add(b.commitSha()));
                          commits.remove(null);
                          return history
                              .latestTestRuns(session, pipelineId, commits)
                              .map(runs -> stages(layout, releases, builds, runs));
                        }))
        .chain(
            stages ->
                history
                    .openReviewApps(session, pipelineId)
                    .chain(
                        reviewApps ->
                            history
                                .buildsInFlight(session, pipelineId)
                                .chain(
                                    inFlight ->
                                        history
                                            .pushes(session, pipelineId, layout.branch())
                                            .map(
                                                pushes ->
                                                    new PipelineOverview(
                                                        layout,
                                                        stages,
                                                        reviewApps,
                                                        inFlight,
                                                        preview(stages, pushes))))));
  }

  private static List<StageApps> stages(
      PipelineLayout layout,
      Map<String, ReleaseRecord> releases,
      Map<String, BuildRecord> builds,
      Map<String, TestRunRecord> runs) {
    List<StageApps> stages = new ArrayList<>();
    for (String stage : STAGES) {
      List<AppState> apps = new ArrayList<>();
      for (String app : layout.apps(stage)) {
        ReleaseRecord release = releases.get(app);
        BuildRecord build = release == null ? null : builds.get(release.artifactDigest());
        String commit = build == null ? null : build.commitSha();
        apps.add(new AppState(app, release, commit, commit == null ? null : runs.get(commit)));
      }
      stages.add(new StageApps(stage, apps));
    }
    return stages;
  }

  /**
   * Compares the first staging app with the first production app (by name). Null when the pipeline
   * lacks either stage. With no commit in production, every push up to staging's commit is new;
   * with staging's commit unknown, nothing can be said and the list is empty.
   */
  static PromotionPreview preview(List<StageApps> stages, List<PushRecord> pushes) {
    Optional<AppState> source = firstApp(stages, "staging");
    Optional<AppState> target = firstApp(stages, "production");
    if (source.isEmpty() || target.isEmpty()) {
      return null;
    }
    String sourceSha = source.get().commitSha();
    String targetSha = target.get().commitSha();
    int end = indexOf(pushes, sourceSha);
    int start = targetSha == null ? -1 : indexOf(pushes, targetSha);
    List<PushRecord> commits =
        end < 0 || Objects.equals(sourceSha, targetSha) || start >= end
            ? List.of()
            : pushes.subList(start + 1, end + 1);
    return new PromotionPreview(
        source.get().appName(), sourceSha, target.get().appName(), targetSha, List.copyOf(commits));
  }

  private static Optional<AppState> firstApp(List<StageApps> stages, String stage) {
    return stages.stream()
        .filter(s -> s.stage().equals(stage))
        .flatMap(s -> s.apps().stream())
        .findFirst();
  }

  private static int indexOf(List<PushRecord> pushes, String sha) {
    if (sha == null) {
      return -1;
    }
    for (int i = 0; i < pushes.size(); i++) {
      if (pushes.get(i).afterSha().equals(sha)) {
        return i;
      }
    }
    return -1;
  }
}

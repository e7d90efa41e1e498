package dev.slipway.deploy.autodeploy;

import dev.slipway.deploy.apps.App;
import dev.slipway.deploy.apps.Apps;
import dev.slipway.deploy.artifacts.Artifacts;
import dev.slipway.deploy.artifacts.persistence.ArtifactEntity;
import dev.slipway.deploy.releases.ReleaseCause;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunStatus;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.work.InSequence;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Heroku's auto-deploy: a green build of the pipeline's auto-deploy branch is released to every
 * staging app, at once or only after its test run succeeded (wait for CI, the default).
 */
@ApplicationScoped
public class AutoDeploy {

  private final PipelineDirectory pipelines;
  private final Artifacts artifacts;
  private final Apps apps;
  private final Releases releases;

  public AutoDeploy(
      PipelineDirectory pipelines, Artifacts artifacts, Apps apps, Releases releases) {
    this.pipelines = pipelines;
    this.artifacts = artifacts;
    this.apps = apps;
    this.releases = releases;
  }

  /**
   * A build finished: remember its artifact; release it now when the policy does not wait, or when
   * it waits and the build's test run already succeeded (it arrived first, on its own topic).
   */
  public Uni<Void> onBuildFinished(Mutiny.Session session, BuildFinished build) {
    return artifacts
        .record(session, build)
        .flatMap(
            isNew -> {
              if (!isNew || build.prNumber() != null) {
                return Uni.createFrom().voidItem();
              }
              return artifacts
                  .ofBuild(session, UUID.fromString(build.buildId()))
                  .flatMap(
                      artifact ->
                          pipelines
                              .find(session, build.pipelineId())
                              .flatMap(
                                  p -> {
                                    if (p.isEmpty()
                                        || artifact.isEmpty()
                                        || !follows(p.get(), build.branch())) {
                                      return Uni.createFrom().voidItem();
                                    }
                                    boolean tested = artifact.map(a -> a.testsPassed).orElse(false);
                                    if (waits(p.get()) && !tested) {
                                      return Uni.createFrom().voidItem();
                                    }
                                    return releaseToStaging(
                                        session,
                                        p.get(),
                                        artifact.get(),
                                        tested
                                            ? "tests of build " + build.buildId()
                                            : "build " + build.buildId());
                                  }));
            });
  }

  /** A test run finished: when it succeeded and the policy waits for CI, release its build. */
  public Uni<Void> onTestRunFinished(Mutiny.Session session, TestRunFinished run) {
    if (run.status() != TestRunStatus.SUCCEEDED) {
      return Uni.createFrom().voidItem();
    }
    return artifacts
        .ofBuild(session, UUID.fromString(run.buildId()))
        .flatMap(
            artifact ->
                pipelines
                    .find(session, run.pipelineId())
                    .flatMap(p -> afterTests(session, p, artifact, run)));
  }

  private Uni<Void> afterTests(
      Mutiny.Session session,
      Optional<PipelineSnapshot> pipeline,
      Optional<ArtifactEntity> artifact,
      TestRunFinished run) {
    if (pipeline.isEmpty()
        || artifact.isEmpty()
        || artifact.get().prNumber != null
        || !follows(pipeline.get(), artifact.get().branch)
        || !waits(pipeline.get())) {
      return Uni.createFrom().voidItem();
    }
    return releaseToStaging(session, pipeline.get(), artifact.get(), "test run #" + run.number());
  }

  private Uni<Void> releaseToStaging(
      Mutiny.Session session, PipelineSnapshot p, ArtifactEntity artifact, String trigger) {
    return apps.inStage(session, UUID.fromString(p.pipelineId()), "staging")
        .flatMap(
            staging ->
                InSequence.forEach(
                    staging,
                    app ->
                        releases
                            .newestAutoDeployedBuild(session, app.name())
                            .flatMap(
                                newest ->
                                    StagingOrder.movesForward(artifact.queuedAt.toInstant(), newest)
                                        ? releaseUnlessRunning(session, app, artifact, trigger)
                                        : Uni.createFrom().voidItem())));
  }

  /**
   * A re-push of the commit staging runs (or any build with its digest) makes no release: the same
   * bytes and config would only restart the app, and Heroku makes no release for no change.
   */
  private Uni<Void> releaseUnlessRunning(
      Mutiny.Session session, App app, ArtifactEntity artifact, String trigger) {
    return releases
        .alreadyReleases(session, app.name(), artifact.digest)
        .flatMap(
            running ->
                running ? Uni.createFrom().voidItem() : release(session, app, artifact, trigger));
  }

  private Uni<Void> release(
      Mutiny.Session session, App app, ArtifactEntity artifact, String trigger) {
    return releases
        .create(
            session,
            app.name(),
            artifact.digest,
            null,
            "Deploy " + artifact.commitSha.substring(0, 7) + " (auto-deploy after " + trigger + ")",
            ReleaseCause.AUTO_DEPLOY,
            "auto-deploy",
            null,
            artifact.buildId)
        .replaceWithVoid();
  }

  private static boolean follows(PipelineSnapshot p, String branch) {
    return p.autoDeploy().enabled() && p.autoDeploy().branch().equals(branch);
  }

  private static boolean waits(PipelineSnapshot p) {
    return p.autoDeploy().waitForCi();
  }
}

package dev.slipway.deploy.forge;

import static dev.slipway.platform.work.Blocking.await;

import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.platform.secrets.PlatformSecrets;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Puts an app's releases on its pipeline's forge as deployments (review apps, staging, production)
 * when the forge is GitHub or GitLab and the pipeline has a forge token; reports go out one at a
 * time in the order they happened, and nothing here blocks or fails a release.
 */
@ApplicationScoped
public class ForgeDeployments {

  private static final Logger LOG = Logger.getLogger(ForgeDeployments.class);

  private final ForgeDeploymentPublisher publisher;
  private final Mutiny.SessionFactory sessionFactory;
  private final PipelineDirectory pipelines;
  private final PlatformSecrets secrets;
  private final Optional<URI> githubApi;
  private final Optional<URI> gitlabApi;
  // One thread: a review app's "inactive" must not overtake its last "success".
  private final ExecutorService reports =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "forge-deployments");
            t.setDaemon(true);
            return t;
          });

  public ForgeDeployments(
      Mutiny.SessionFactory sessionFactory,
      PipelineDirectory pipelines,
      PlatformSecrets secrets,
      UrlPolicy outbound,
      @ConfigProperty(name = "slipway.forge.hosts") List<String> forgeHosts,
      @ConfigProperty(name = "slipway.forge.http-hosts") Optional<List<String>> forgeHttpHosts,
      @ConfigProperty(name = "slipway.forge.github.api-url") Optional<URI> githubApi,
      @ConfigProperty(name = "slipway.forge.gitlab.api-url") Optional<URI> gitlabApi) {
    this.publisher =
        new ForgeDeploymentPublisher(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
            outbound.forForgeApi(
                Set.copyOf(forgeHosts), Set.copyOf(forgeHttpHosts.orElse(List.of()))));
    this.sessionFactory = sessionFactory;
    this.pipelines = pipelines;
    this.secrets = secrets;
    this.githubApi = githubApi;
    this.gitlabApi = gitlabApi;
  }

  /**
   * Reports how the deploy of release {@code version} of {@code appName} (running {@code
   * artifactDigest}) went; {@code url} is the app's URL (null without a web process). Call from a
   * worker thread: it reads the app's pipeline and stage and the artifact's commit.
   */
  public void releaseFinished(
      String appName, int version, String artifactDigest, boolean succeeded, String url) {
    try {
      Optional<Object[]> app =
          await(
              () ->
                  sessionFactory.withSession(
                      s ->
                          s.createSelectionQuery(
                                  "select pipelineId, stage from AppEntity where name = :n",
                                  Object[].class)
                              .setParameter("n", appName)
                              .getResultList()
                              .map(rows -> rows.stream().findFirst())));
      Optional<Object[]> commit =
          await(
              () ->
                  sessionFactory.withSession(
                      s ->
                          s.createSelectionQuery(
                                  "select commitSha, branch from ArtifactEntity where digest = :d",
                                  Object[].class)
                              .setParameter("d", artifactDigest)
                              .getResultList()
                              .map(rows -> rows.stream().findFirst())));
      if (app.isEmpty() || app.get()[0] == null || commit.isEmpty() || commit.get()[0] == null) {
        return;
      }
      EnvironmentTier tier = tier((String) app.get()[1]);
      String sha = (String) commit.get()[0];
      String ref = commit.get()[1] == null ? sha : (String) commit.get()[1];
      report(
          (UUID) app.get()[0],
          pipeline ->
              new ForgeDeployment(
                  pipeline.forge(),
                  pipeline.repositoryUrl(),
                  appName,
                  tier,
                  ref,
                  sha,
                  succeeded ? DeploymentState.SUCCESS : DeploymentState.FAILURE,
                  url,
                  "Slipway release v" + version + " of " + appName));
    } catch (RuntimeException e) {
      LOG.warnf("deployment of %s v%d not reported: %s", appName, version, e);
    }
  }

  /** Reports that a review app was destroyed: its environment is inactive (GitLab: stopped). */
  public void reviewAppDestroyed(UUID pipelineId, String appName) {
    try {
      report(
          pipelineId,
          pipeline ->
              new ForgeDeployment(
                  pipeline.forge(),
                  pipeline.repositoryUrl(),
                  appName,
                  EnvironmentTier.REVIEW,
                  null,
                  null,
                  DeploymentState.INACTIVE,
                  null,
                  "Review app destroyed"));
    } catch (RuntimeException e) {
      LOG.warnf("end of review app %s not reported: %s", appName, e);
    }
  }

  private void report(
      UUID pipelineId, java.util.function.Function<PipelineSnapshot, ForgeDeployment> of) {
    Optional<PipelineSnapshot> pipeline = await(() -> pipelines.find(pipelineId.toString()));
    if (pipeline.isEmpty()
        || (pipeline.get().forge() != Forge.GITHUB && pipeline.get().forge() != Forge.GITLAB)) {
      return;
    }
    Optional<String> token = secrets.forgeToken(pipeline.get());
    if (token.isEmpty()) {
      return;
    }
    ForgeDeployment deployment = of.apply(pipeline.get());
    URI api = (deployment.forge() == Forge.GITLAB ? gitlabApi : githubApi).orElse(null);
    reports.execute(() -> publisher.publish(deployment, token.get(), api));
  }

  static EnvironmentTier tier(String stage) {
    return switch (stage == null ? "" : stage.toLowerCase(Locale.ROOT)) {
      case "review" -> EnvironmentTier.REVIEW;
      case "production" -> EnvironmentTier.PRODUCTION;
      default -> EnvironmentTier.STAGING;
    };
  }

  void stop(@Observes ShutdownEvent event) {
    reports.shutdownNow();
  }
}

package dev.slipway.testing.runs.runner;

import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.secrets.PlatformSecrets;
import dev.slipway.testing.commitstatus.CommitState;
import dev.slipway.testing.commitstatus.CommitStatus;
import dev.slipway.testing.commitstatus.CommitStatusPublisher;
import dev.slipway.testing.commitstatus.ForgeCredentials;
import dev.slipway.testing.commitstatus.ForgeKind;
import dev.slipway.testing.runs.TestRun;
import dev.slipway.testing.runs.TestRunPhase;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Puts a run's state on its commit when the pipeline's forge is GitHub or GitLab and it has a forge
 * token; statuses of one run are sent in order, and nothing here blocks or fails the run.
 */
@ApplicationScoped
public class CommitStatusReporter {

  private static final Logger LOG = Logger.getLogger(CommitStatusReporter.class);

  private final CommitStatusPublisher publisher;
  private final PlatformSecrets secrets;
  private final Optional<URI> githubApi;
  private final Optional<URI> gitlabApi;
  private final String publicUrl;
  private final Map<UUID, CompletionStage<Boolean>> last = new ConcurrentHashMap<>();

  public CommitStatusReporter(
      CommitStatusPublisher publisher,
      PlatformSecrets secrets,
      @ConfigProperty(name = "slipway.forge.github.api-url") Optional<URI> githubApi,
      @ConfigProperty(name = "slipway.forge.gitlab.api-url") Optional<URI> gitlabApi,
      @ConfigProperty(name = "slipway.public-url") String publicUrl) {
    this.publisher = publisher;
    this.secrets = secrets;
    this.githubApi = githubApi;
    this.gitlabApi = gitlabApi;
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** Reports {@code run}'s current phase on its commit, after any status sent before for it. */
  public void report(TestRun run, Optional<PipelineSnapshot> pipeline) {
    try {
      Optional<Request> request = request(run, pipeline);
      if (request.isEmpty()) {
        return;
      }
      boolean terminal = run.phase().isTerminal();
      CompletionStage<Boolean> previous =
          last.getOrDefault(run.id(), CompletableFuture.completedFuture(true));
      CompletionStage<Boolean> next =
          previous.thenCompose(
              ignored -> publisher.publish(request.get().status(), request.get().credentials()));
      if (terminal) {
        last.remove(run.id());
      } else {
        last.put(run.id(), next);
      }
    } catch (RuntimeException e) {
      LOG.warnf("commit status for test run %s not sent: %s", run.id(), e.getMessage());
    }
  }

  private record Request(CommitStatus status, ForgeCredentials credentials) {}

  private Optional<Request> request(TestRun run, Optional<PipelineSnapshot> pipeline) {
    if (pipeline.isEmpty()) {
      return Optional.empty();
    }
    PipelineSnapshot p = pipeline.get();
    ForgeKind kind =
        p.forge() == Forge.GITHUB
            ? ForgeKind.GITHUB
            : p.forge() == Forge.GITLAB ? ForgeKind.GITLAB : null;
    if (kind == null) {
      return Optional.empty();
    }
    Optional<String> token = secrets.forgeToken(p);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    URI api = (kind == ForgeKind.GITHUB ? githubApi : gitlabApi).orElse(null);
    return Optional.of(
        new Request(
            new CommitStatus(
                kind,
                p.repositoryUrl(),
                run.commitSha(),
                state(run.phase()),
                publicUrl + "/test-runs/" + run.id(),
                description(run)),
            new ForgeCredentials(token.get(), api)));
  }

  static CommitState state(TestRunPhase phase) {
    return switch (phase) {
      case SUCCEEDED -> CommitState.SUCCESS;
      case FAILED -> CommitState.FAILURE;
      case ERRORED, CANCELLED -> CommitState.ERROR;
      default -> CommitState.PENDING;
    };
  }

  private static String description(TestRun run) {
    String head = "Test run #" + run.number();
    return switch (run.phase()) {
      case SUCCEEDED -> head + " succeeded";
      case FAILED, ERRORED ->
          head + " " + run.phase().wireName() + (run.message() == null ? "" : ": " + run.message());
      case CANCELLED -> head + " cancelled";
      default -> head + " is running";
    };
  }
}

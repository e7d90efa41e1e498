package dev.slipway.testing.config;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.apps.process.SandboxLimits;
import dev.slipway.apps.process.SandboxSupport;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.kubernetes.namespace.IsolationPolicy;
import dev.slipway.kubernetes.namespace.ManagedNamespaceAccess;
import dev.slipway.platform.addons.PostgresDatabases;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.platform.pipeline.PipelineDirectory;
import dev.slipway.testing.commitstatus.CommitStatusPublisher;
import dev.slipway.testing.commitstatus.ForgeCommitStatusPublisher;
import dev.slipway.testing.commitstatus.RetryPolicy;
import dev.slipway.testing.executor.TestExecutor;
import dev.slipway.testing.executor.kubernetes.KubernetesTestExecutor;
import dev.slipway.testing.executor.kubernetes.KubernetesTestSettings;
import dev.slipway.testing.executor.local.LocalTestExecutor;
import dev.slipway.testing.runs.runner.TestRunSettings;
import io.agroal.api.AgroalDataSource;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wires the adapters chosen by configuration: artifact store, test executor, forge client. */
@ApplicationScoped
public class TestProducers {

  private static final Logger LOG = Logger.getLogger(TestProducers.class);

  @Produces
  @ApplicationScoped
  ArtifactStore artifactStore(@ConfigProperty(name = "slipway.artifacts.dir") Path dir) {
    return new FileSystemArtifactStore(dir);
  }

  @Produces
  @ApplicationScoped
  TestExecutor testExecutor(
      TestRunSettings settings,
      AgroalDataSource dataSource,
      PipelineDirectory pipelines,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
    if ("kubernetes".equals(settings.executor())) {
      // Reads ~/.kube/config or, in a pod, its service account: only made when chosen, so local
      // mode never needs a cluster.
      return new KubernetesTestExecutor(
          new KubernetesClientBuilder().build(),
          kubernetesSettings(settings),
          id -> pipelineName(pipelines, id));
    }
    if (!"local".equals(settings.executor())) {
      throw new IllegalStateException(
          "slipway.testruns.executor="
              + settings.executor()
              + " is not available; use local or kubernetes");
    }
    Path work = settings.workDir();
    SandboxSupport sandbox = SandboxSupport.current();
    if (sandbox.available()) {
      LOG.info(sandbox.summary());
    } else {
      LOG.warn(sandbox.summary());
    }
    return new LocalTestExecutor(
        work.resolve("runs"),
        settings.buildpacksDir().orElse(work.resolve("buildpacks")),
        work.resolve("cache"),
        settings.maxBundleBytes(),
        settings.maxNodes(),
        settings.junitGlobs(),
        new PostgresDatabases(dataSource, "slipway_ci_", jdbcUrl),
        SandboxLimits.defaults()
            .withMemoryMegabytes(settings.sandboxMemoryMegabytes())
            .withProcesses(settings.sandboxProcesses())
            .withDiskMegabytes(settings.sandboxDiskMegabytes()),
        settings.sandboxReadOnly().orElse(List.of()));
  }

  /** The kubernetes executor's settings, from {@code slipway.testruns.kubernetes.*}. */
  private static KubernetesTestSettings kubernetesSettings(TestRunSettings settings) {
    TestRunSettings.Kubernetes k = settings.kubernetes();
    IsolationPolicy defaults = IsolationPolicy.defaults("test-service");
    IsolationPolicy isolation =
        new IsolationPolicy(
            new IsolationPolicy.Quota(
                k.quotaRequestsCpu(),
                k.quotaRequestsMemory(),
                k.quotaLimitsCpu(),
                k.quotaLimitsMemory(),
                k.quotaPods()),
            defaults.containerDefaults(),
            k.ingressNamespace(),
            IsolationPolicy.Egress.of(k.egress()),
            k.egressNamespaces().orElse(List.of()),
            k.labels(),
            new ManagedNamespaceAccess(
                k.roleBinding(), k.clusterRole(), k.serviceAccount(), k.serviceAccountNamespace()));
    return new KubernetesTestSettings(
        isolation,
        k.testImage(),
        k.runAsUser(),
        k.fetchImage(),
        k.sourceUrl(),
        k.fetchToken()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "slipway.testruns.kubernetes.fetch-token is required with"
                            + " slipway.testruns.executor=kubernetes")),
        k.postgresImage(),
        new KubernetesTestSettings.Resources(
            k.cpuRequest(), k.memoryRequest(), k.cpuLimit(), k.memoryLimit()),
        new KubernetesTestSettings.Resources("100m", "256Mi", "1", "1Gi"),
        settings.maxNodes(),
        settings.maxBundleBytes(),
        settings.workDir().resolve("manifests"),
        k.pollInterval());
  }

  /** The pipeline's name for its test namespaces; its id when the directory cannot say. */
  private static String pipelineName(PipelineDirectory pipelines, UUID id) {
    try {
      return VertxContextSupport.subscribeAndAwait(() -> pipelines.find(id.toString()))
          .map(PipelineSnapshot::name)
          .orElse(id.toString());
    } catch (Throwable e) {
      return id.toString();
    }
  }

  @Produces
  @ApplicationScoped
  CommitStatusPublisher commitStatusPublisher(
      UrlPolicy outbound,
      @ConfigProperty(name = "slipway.forge.hosts") List<String> forgeHosts,
      @ConfigProperty(name = "slipway.forge.http-hosts") Optional<List<String>> forgeHttpHosts) {
    return new ForgeCommitStatusPublisher(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        RetryPolicy.defaults(),
        outbound.forForgeApi(Set.copyOf(forgeHosts), Set.copyOf(forgeHttpHosts.orElse(List.of()))));
  }
}

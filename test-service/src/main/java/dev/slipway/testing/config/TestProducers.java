package dev.slipway.testing.config;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.testing.executor.TestExecutor;
import dev.slipway.testing.executor.local.LocalTestExecutor;
import dev.slipway.testing.executor.local.TestDatabases;
import dev.slipway.testing.runs.runner.TestRunSettings;
import dev.slipway.testing.status.CommitStatusPublisher;
import dev.slipway.testing.status.ForgeCommitStatusPublisher;
import dev.slipway.testing.status.RetryPolicy;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the adapters chosen by configuration: artifact store, test executor, forge client. */
@ApplicationScoped
public class TestProducers {

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
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
    if (!"local".equals(settings.executor())) {
      throw new IllegalStateException(
          "slipway.testruns.executor=" + settings.executor() + " is not available; use local");
    }
    Path work = settings.workDir();
    return new LocalTestExecutor(
        work.resolve("runs"),
        settings.buildpacksDir().orElse(work.resolve("buildpacks")),
        work.resolve("cache"),
        settings.maxBundleBytes(),
        settings.maxNodes(),
        settings.junitGlobs(),
        new TestDatabases(dataSource, jdbcUrl));
  }

  @Produces
  @ApplicationScoped
  CommitStatusPublisher commitStatusPublisher() {
    return new ForgeCommitStatusPublisher(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        RetryPolicy.defaults());
  }
}

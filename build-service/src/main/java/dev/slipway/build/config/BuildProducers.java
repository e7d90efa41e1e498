package dev.slipway.build.config;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.build.builds.runner.BuildSettings;
import dev.slipway.build.executor.BuildExecutor;
import dev.slipway.build.executor.local.LocalBuildExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the adapters chosen by configuration: artifact store and build executor. */
@ApplicationScoped
public class BuildProducers {

  @Produces
  @ApplicationScoped
  ArtifactStore artifactStore(@ConfigProperty(name = "slipway.artifacts.dir") Path dir) {
    return new FileSystemArtifactStore(dir);
  }

  @Produces
  @ApplicationScoped
  BuildExecutor buildExecutor(BuildSettings settings) {
    if (!"local".equals(settings.executor())) {
      // TODO(#3): the kubernetes executor (CNB lifecycle Job) is wired here once it lands.
      throw new IllegalStateException(
          "slipway.builds.executor=" + settings.executor() + " is not available; use local");
    }
    Path work = settings.workDir();
    return new LocalBuildExecutor(
        settings.buildpacksDir().orElse(work.resolve("buildpacks")),
        work.resolve("cache"),
        settings.maxSlugBytes());
  }
}

package dev.slipway.build.config;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.apps.process.SandboxLimits;
import dev.slipway.apps.process.SandboxSupport;
import dev.slipway.build.builds.runner.BuildSettings;
import dev.slipway.build.executor.BuildExecutor;
import dev.slipway.build.executor.kubernetes.KubernetesBuildExecutorFactory;
import dev.slipway.build.executor.kubernetes.KubernetesBuildSettings;
import dev.slipway.build.executor.local.LocalBuildExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wires the adapters chosen by configuration: artifact store and build executor. */
@ApplicationScoped
public class BuildProducers {

  private static final Logger LOG = Logger.getLogger(BuildProducers.class);

  @Produces
  @ApplicationScoped
  ArtifactStore artifactStore(@ConfigProperty(name = "slipway.artifacts.dir") Path dir) {
    return new FileSystemArtifactStore(dir);
  }

  @Produces
  @ApplicationScoped
  BuildExecutor buildExecutor(BuildSettings settings, KubernetesBuildExecutorFactory kubernetes) {
    if ("kubernetes".equals(settings.executor())) {
      return kubernetes.create(kubernetesSettings(settings.kubernetes()));
    }
    if (!"local".equals(settings.executor())) {
      throw new IllegalStateException(
          "slipway.builds.executor="
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
    return new LocalBuildExecutor(
        settings.buildpacksDir().orElse(work.resolve("buildpacks")),
        work.resolve("cache"),
        settings.maxSlugBytes(),
        settings.sandboxReadOnly().orElse(List.of()),
        SandboxLimits.defaults().withDiskMegabytes(settings.sandboxDiskMegabytes()));
  }

  private static KubernetesBuildSettings kubernetesSettings(BuildSettings.Kubernetes k) {
    return new KubernetesBuildSettings(
        k.namespace(),
        k.builderImage(),
        k.imageRepository()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "slipway.builds.kubernetes.image-repository is required with"
                            + " slipway.builds.executor=kubernetes")),
        k.registrySecret().orElse(null),
        k.fetchImage(),
        k.sourceUrl(),
        k.fetchTokenSecret(),
        k.fetchTokenKey(),
        k.platformApi(),
        new KubernetesBuildSettings.Resources(
            k.cpuRequest(),
            k.memoryRequest(),
            k.cpuLimit().orElse(null),
            k.memoryLimit(),
            k.diskLimit()),
        k.ttlAfterFinished(),
        k.pollInterval());
  }
}

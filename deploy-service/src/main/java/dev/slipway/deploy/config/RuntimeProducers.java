package dev.slipway.deploy.config;

import dev.slipway.apps.artifact.ArtifactStore;
import dev.slipway.apps.artifact.FileSystemArtifactStore;
import dev.slipway.apps.process.SandboxSupport;
import dev.slipway.deploy.runtime.AppRuntime;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntime;
import dev.slipway.deploy.runtime.kubernetes.KubernetesRuntimeSettings;
import dev.slipway.deploy.runtime.local.LocalRuntime;
import dev.slipway.deploy.runtime.local.LocalRuntimeSettings;
import dev.slipway.deploy.runtime.local.router.LocalRouter;
import dev.slipway.kubernetes.namespace.EphemeralNamespaces;
import dev.slipway.platform.addons.PostgresDatabases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the runtime chosen by configuration: the local one behind its router, or the Kubernetes
 * one.
 */
@ApplicationScoped
public class RuntimeProducers {

  private static final Logger LOG = Logger.getLogger(RuntimeProducers.class);

  private volatile LocalRuntime local;
  private volatile LocalRouter router;

  @Produces
  @Singleton
  ArtifactStore artifactStore(@ConfigProperty(name = "slipway.artifacts.dir") Path dir) {
    return new FileSystemArtifactStore(dir);
  }

  /**
   * The heroku-postgresql add-on of apps and review apps: databases on Slipway's own PostgreSQL.
   */
  @Produces
  @Singleton
  PostgresDatabases addonDatabases(
      javax.sql.DataSource dataSource,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
    return new PostgresDatabases(dataSource, "slipway_addon_", jdbcUrl);
  }

  @Produces
  @Singleton
  AppRuntime runtime(
      Vertx vertx,
      ArtifactStore artifacts,
      @ConfigProperty(name = "slipway.runtime.kind") String kind,
      @ConfigProperty(name = "slipway.runtime.work-dir") Path workDir,
      @ConfigProperty(name = "slipway.router.host") String host,
      @ConfigProperty(name = "slipway.router.port") int port,
      @ConfigProperty(name = "slipway.runtime.boot-timeout") Duration bootTimeout,
      @ConfigProperty(name = "slipway.runtime.stop-grace") Duration stopGrace,
      @ConfigProperty(name = "slipway.runtime.restart-backoff") Duration backoff,
      @ConfigProperty(name = "slipway.runtime.restart-backoff-max") Duration backoffMax,
      @ConfigProperty(name = "slipway.runtime.log-lines") int logLines,
      @ConfigProperty(name = "slipway.runtime.log-max-bytes", defaultValue = "2097152")
          long logMaxBytes,
      Instance<KubernetesClient> kubernetes,
      Instance<EphemeralNamespaces> namespaces,
      Instance<KubernetesRuntimeSettings> kubernetesSettings) {
    if ("kubernetes".equals(kind)) {
      // Looked up only here, so local mode never reads a kube config.
      return new KubernetesRuntime(
          kubernetes.get(), namespaces.get(), kubernetesSettings.get(), logLines, logMaxBytes);
    }
    if (!"local".equals(kind)) {
      throw new IllegalStateException(
          "slipway.runtime.kind=" + kind + " is not available; use local or kubernetes");
    }
    SandboxSupport sandbox = SandboxSupport.current();
    if (sandbox.available()) {
      LOG.info(sandbox.summary());
    } else {
      LOG.warn(sandbox.summary());
    }
    router = LocalRouter.start(vertx, host, port);
    local =
        new LocalRuntime(
            artifacts,
            router,
            workDir,
            new LocalRuntimeSettings(
                bootTimeout,
                stopGrace,
                backoff,
                backoffMax,
                logLines,
                LocalRuntimeSettings.herokuDefaults().ports(),
                LocalRuntimeSettings.herokuDefaults().drainTimeout(),
                LocalRuntimeSettings.herokuDefaults().maxSlugBytes(),
                logMaxBytes));
    return local;
  }

  void onStop(@Observes ShutdownEvent event) {
    if (local != null) {
      local.close();
    }
    if (router != null) {
      router.close();
    }
  }
}

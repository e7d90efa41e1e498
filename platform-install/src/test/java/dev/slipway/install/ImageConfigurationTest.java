package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The services' Jib configuration, resolved the way Quarkus resolves it at build time (shared
 * defaults at ordinal 100, the service's application.properties at 250, -D at 400): nothing is
 * built unless asked, and the image the Deployments run is the one the build names. The push itself
 * is not tested: no registry is reachable from this machine.
 */
class ImageConfigurationTest {

  private static final String VERSION = System.getProperty("slipway.version", "0.1.0-SNAPSHOT");

  @Test
  void aNormalBuildNeitherBuildsNorPushesAnImage() throws IOException {
    for (SlipwayService service : SlipwayService.values()) {
      SmallRyeConfig config = config(service, Map.of());
      assertEquals(false, config.getValue("quarkus.container-image.build", Boolean.class));
      assertEquals(false, config.getValue("quarkus.container-image.push", Boolean.class));
    }
  }

  @Test
  void theImageEachDeploymentRunsIsTheImageTheServiceBuildNames() throws IOException {
    for (Profile profile : Profile.values()) {
      for (Deployment deployment : RenderedProfile.load(profile).all(Deployment.class)) {
        SlipwayService service = service(deployment.getMetadata().getName());
        SmallRyeConfig config = config(service, Map.of());
        String built =
            config.getValue("quarkus.container-image.group", String.class)
                + "/"
                + config.getValue("quarkus.container-image.name", String.class)
                + ":"
                + config.getValue("quarkus.container-image.tag", String.class);
        assertEquals(
            built, deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
      }
    }
  }

  @Test
  void pushTrueBuildsAndPushesUnderTheGivenGroupAndTag() throws IOException {
    SmallRyeConfig config =
        config(
            SlipwayService.DEPLOY,
            Map.of(
                "slipway.images.push", "true",
                "slipway.images.group", "acme/platform",
                "slipway.images.tag", "2026.12.1"));
    assertEquals(true, config.getValue("quarkus.container-image.build", Boolean.class));
    assertEquals(true, config.getValue("quarkus.container-image.push", Boolean.class));
    assertEquals("acme/platform", config.getValue("quarkus.container-image.group", String.class));
    assertEquals("deploy-service", config.getValue("quarkus.container-image.name", String.class));
    assertEquals("2026.12.1", config.getValue("quarkus.container-image.tag", String.class));
    assertEquals(185, config.getValue("quarkus.jib.user", Integer.class));
  }

  @Test
  void everyServiceGetsTheJibExtensionThroughPlatformQuarkus() throws IOException {
    String pom = Files.readString(RenderedProfile.repository().resolve("platform-quarkus/pom.xml"));
    assertTrue(pom.contains("<artifactId>quarkus-container-image-jib</artifactId>"));
    for (SlipwayService service : SlipwayService.values()) {
      String servicePom =
          Files.readString(
              RenderedProfile.repository().resolve(service.serviceName()).resolve("pom.xml"));
      assertTrue(servicePom.contains("<artifactId>platform-quarkus</artifactId>"), service.name());
    }
  }

  private static SmallRyeConfig config(SlipwayService service, Map<String, String> systemProperties)
      throws IOException {
    Path repository = RenderedProfile.repository();
    Map<String, String> quarkus = new HashMap<>();
    // What the Quarkus Maven plugin sets from the pom.
    quarkus.put("quarkus.application.version", VERSION);
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withSources(new PropertiesConfigSource(quarkus, "pom", 50))
        .withSources(
            new PropertiesConfigSource(
                repository
                    .resolve(
                        "platform-quarkus/src/main/resources/META-INF/microprofile-config.properties")
                    .toUri()
                    .toURL(),
                100))
        .withSources(
            new PropertiesConfigSource(
                repository
                    .resolve(service.serviceName())
                    .resolve("src/main/resources/application.properties")
                    .toUri()
                    .toURL(),
                250))
        .withSources(new PropertiesConfigSource(systemProperties, "-D", 400))
        .build();
  }

  private static SlipwayService service(String name) {
    for (SlipwayService service : SlipwayService.values()) {
      if (service.serviceName().equals(name)) {
        return service;
      }
    }
    throw new AssertionError("no service " + name);
  }
}

package dev.slipway.deploy;

import dev.slipway.testkit.FakeForge;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Points deploy-service's GitHub API at a loopback port, allowed as an admin would allow a lab
 * forge; the test serves a {@link FakeForge} there, in its own class loader.
 */
public class ForgeApiStandIn implements QuarkusTestResourceLifecycleManager {

  private static final String PORT_PROPERTY = "slipway.test.forge-api.port";

  @Override
  public Map<String, String> start() {
    return FakeForge.forgeApiSettings(port());
  }

  @Override
  public void stop() {
    // The test closes its forge.
  }

  /** The port chosen for this JVM (once). */
  static synchronized int port() {
    if (System.getProperty(PORT_PROPERTY) == null) {
      try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
        System.setProperty(PORT_PROPERTY, Integer.toString(s.getLocalPort()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Integer.parseInt(System.getProperty(PORT_PROPERTY));
  }
}

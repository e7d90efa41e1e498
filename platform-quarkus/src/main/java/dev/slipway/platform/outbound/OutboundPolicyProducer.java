package dev.slipway.platform.outbound;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the one {@link UrlPolicy} of a service from the {@code slipway.outbound.*} settings. */
public class OutboundPolicyProducer {

  @Produces
  @Singleton
  UrlPolicy urlPolicy(
      @ConfigProperty(name = "slipway.outbound.allowed-hosts") List<String> allowedHosts,
      @ConfigProperty(name = "slipway.outbound.http-hosts") Optional<List<String>> httpHosts,
      @ConfigProperty(name = "slipway.outbound.allow-local-paths") boolean allowLocalPaths,
      @ConfigProperty(name = "slipway.outbound.allow-private-addresses")
          boolean allowPrivateAddresses) {
    return new UrlPolicy(
        new UrlPolicy.Settings(
            Set.copyOf(allowedHosts),
            Set.copyOf(httpHosts.orElse(List.of())),
            allowLocalPaths,
            allowPrivateAddresses));
  }
}

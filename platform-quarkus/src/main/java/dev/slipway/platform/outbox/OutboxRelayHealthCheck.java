package dev.slipway.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the outbox relay is connected to PostgreSQL and its last publishing cycle succeeded
 * (Kafka itself has its own check: the relay only talks to Kafka when it has events to send).
 */
@Readiness
@ApplicationScoped
public class OutboxRelayHealthCheck implements HealthCheck {

  private final OutboxRelay relay;

  public OutboxRelayHealthCheck(OutboxRelay relay) {
    this.relay = relay;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("outbox-relay").status(relay.healthy());
    if (relay.lastError() != null) {
      response.withData("lastError", relay.lastError());
    }
    return response.build();
  }
}

package dev.slipway.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the outbox relay reaches PostgreSQL and Kafka, so recorded events get published. */
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

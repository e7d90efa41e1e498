package dev.slipway.promotion.pipeline.operator;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code pipeline-operator}: UP when the operator is off or this replica follows
 * (another leads it), and, on the leader, once its informer has listed every Pipeline resource and
 * still runs.
 */
@Readiness
@ApplicationScoped
public class PipelineOperatorHealthCheck implements HealthCheck {

  private final PipelineOperator operator;

  public PipelineOperatorHealthCheck(PipelineOperator operator) {
    this.operator = operator;
  }

  @Override
  public HealthCheckResponse call() {
    boolean enabled = operator.enabled();
    boolean leading = enabled && operator.leading();
    return HealthCheckResponse.named("pipeline-operator")
        .status(!leading || operator.synced())
        .withData("enabled", enabled)
        .withData("leader", leading)
        .build();
  }
}

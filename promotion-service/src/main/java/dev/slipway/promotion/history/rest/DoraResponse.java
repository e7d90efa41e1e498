package dev.slipway.promotion.history.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.promotion.history.DoraMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code GET /pipelines/{id}/metrics/dora}: the four keys and rework rate (see docs/api.md). */
@JsonNaming(SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DoraResponse(
    String pipelineId,
    String window,
    Instant from,
    Instant to,
    List<String> productionApps,
    DeploymentFrequency deploymentFrequency,
    Median leadTimeForChanges,
    Rate changeFailureRate,
    Median timeToRestore,
    Rework deploymentReworkRate) {

  /** Succeeded production releases in the window, in all and per day. */
  @JsonNaming(SnakeCaseStrategy.class)
  public record DeploymentFrequency(int deployments, double perDay) {}

  /** A median duration in seconds and as ISO-8601, over {@code samples} values; null for none. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Median(Double medianSeconds, String median, int samples) {

    static Median of(Duration d, int samples) {
      return new Median(
          d == null ? null : d.toMillis() / 1000.0, d == null ? null : d.toString(), samples);
    }
  }

  /** Failed production releases over all finished ones; null when there were none. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Rate(Double rate, int failures, int releases) {}

  /** Rollbacks and redeploys over all deployments; null when there were none. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Rework(Double rate, int rework, int deployments) {}

  static DoraResponse of(DoraMetrics m) {
    return new DoraResponse(
        m.pipelineId(),
        m.window(),
        m.from(),
        m.to(),
        m.productionApps(),
        new DeploymentFrequency(m.deployments(), m.deploymentsPerDay()),
        Median.of(m.leadTime(), m.leadTimeSamples()),
        new Rate(m.changeFailureRate(), m.changeFailures(), m.productionReleases()),
        Median.of(m.timeToRestore(), m.restores()),
        new Rework(m.reworkRate(), m.reworkDeployments(), m.deployments()));
  }
}

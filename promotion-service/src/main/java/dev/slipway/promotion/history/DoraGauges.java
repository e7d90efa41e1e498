package dev.slipway.promotion.history;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Publishes each pipeline's DORA keys as Micrometer gauges tagged {@code pipeline} (its id),
 * recomputed every {@code slipway.dora.refresh-interval} over {@code slipway.dora.gauge-window}. A
 * value with nothing to measure is NaN, which Prometheus shows as such.
 */
@ApplicationScoped
public class DoraGauges {

  private final Mutiny.SessionFactory sessionFactory;
  private final History history;
  private final Dora dora;
  private final MeterRegistry registry;
  private final DoraWindow window;
  // Micrometer holds a gauge's state weakly: this map keeps it alive until the pipeline goes.
  private final Map<UUID, Values> values = new ConcurrentHashMap<>();

  public DoraGauges(
      Mutiny.SessionFactory sessionFactory,
      History history,
      Dora dora,
      MeterRegistry registry,
      @ConfigProperty(name = "slipway.dora.gauge-window", defaultValue = "30d") String window) {
    this.sessionFactory = sessionFactory;
    this.history = history;
    this.dora = dora;
    this.registry = registry;
    this.window = DoraWindow.parse(window);
  }

  /** Recomputes every pipeline's gauges and drops those of deleted pipelines. */
  @Scheduled(
      every = "${slipway.dora.refresh-interval:60s}",
      delayed = "${slipway.dora.refresh-delay:10s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> refresh() {
    return sessionFactory
        .withSession(history::pipelineIds)
        .chain(
            ids -> {
              Set<UUID> live = new HashSet<>(ids);
              values.keySet().stream()
                  .filter(id -> !live.contains(id))
                  .toList()
                  .forEach(id -> values.remove(id).remove(registry));
              return Multi.createFrom()
                  .iterable(ids)
                  .onItem()
                  .transformToUniAndConcatenate(
                      id ->
                          dora.of(id, window)
                              .invoke(m -> m.ifPresent(metrics -> update(id, metrics))))
                  .collect()
                  .last()
                  .replaceWithVoid();
            });
  }

  private void update(UUID id, DoraMetrics metrics) {
    values.computeIfAbsent(id, this::register).set(metrics);
  }

  private Values register(UUID id) {
    Values v = new Values();
    String tag = id.toString();
    v.meters.add(gauge("slipway.dora.deployments", tag, v, x -> x.deployments));
    v.meters.add(gauge("slipway.dora.lead_time_seconds", tag, v, x -> x.leadTimeSeconds));
    v.meters.add(gauge("slipway.dora.change_failure_rate", tag, v, x -> x.changeFailureRate));
    v.meters.add(
        gauge("slipway.dora.time_to_restore_seconds", tag, v, x -> x.timeToRestoreSeconds));
    return v;
  }

  // No base unit: Prometheus would append it to names that already end in their unit.
  private Meter gauge(String name, String pipeline, Values v, ToDoubleFunction<Values> value) {
    return Gauge.builder(name, v, value)
        .tag("pipeline", pipeline)
        .description("DORA key over the last " + window.text() + " of the pipeline's production")
        .register(registry);
  }

  /** The latest figures of one pipeline. */
  private static final class Values {
    final List<Meter> meters = new ArrayList<>();
    volatile double deployments = Double.NaN;
    volatile double leadTimeSeconds = Double.NaN;
    volatile double changeFailureRate = Double.NaN;
    volatile double timeToRestoreSeconds = Double.NaN;

    void set(DoraMetrics m) {
      deployments = m.deployments();
      leadTimeSeconds = seconds(m.leadTime());
      changeFailureRate = m.changeFailureRate() == null ? Double.NaN : m.changeFailureRate();
      timeToRestoreSeconds = seconds(m.timeToRestore());
    }

    void remove(MeterRegistry registry) {
      meters.forEach(registry::remove);
    }

    private static double seconds(Duration d) {
      return d == null ? Double.NaN : d.toMillis() / 1000.0;
    }
  }
}

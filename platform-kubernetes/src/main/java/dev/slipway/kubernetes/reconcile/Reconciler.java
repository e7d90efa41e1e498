package dev.slipway.kubernetes.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.Optional;

/**
 * Brings the world in line with one resource, the shape of the Java Operator SDK's reconciler so a
 * later move to it is mechanical: level-triggered, idempotent, and saying when to look again.
 */
@FunctionalInterface
public interface Reconciler<R extends HasMetadata> {

  /**
   * Reconciles {@code resource}, the latest the informer has seen.
   *
   * @return a delay after which to reconcile it again although nothing changed (JOSDK's {@code
   *     rescheduleAfter}), or empty to wait for the next event or resync
   * @throws RuntimeException to have the resource reconciled again after a growing backoff
   */
  Optional<Duration> reconcile(R resource);
}

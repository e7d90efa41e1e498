package dev.slipway.deploy.reviewapps.operator;

import java.time.Duration;
import java.util.Objects;

/**
 * How the ReviewApp operator runs.
 *
 * @param resync how often every ReviewApp is reconciled again (restoring what was changed by hand)
 *     and expired ones and orphan namespaces are reaped
 * @param terminatingAfter how long a namespace may be terminating before it counts as stuck
 * @param predestroyTimeout how long a ReviewApp's pr-predestroy Job may run
 */
public record ReviewAppOperatorSettings(
    Duration resync, Duration terminatingAfter, Duration predestroyTimeout) {
  public ReviewAppOperatorSettings {
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(terminatingAfter, "terminatingAfter");
    Objects.requireNonNull(predestroyTimeout, "predestroyTimeout");
  }
}

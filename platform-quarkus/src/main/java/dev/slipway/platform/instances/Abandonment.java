package dev.slipway.platform.instances;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Decides whether claimed work is abandoned, i.e. nobody will finish it: its owner incarnation is a
 * previous run of this very replica (same name, another id), or its owner's heartbeat is older than
 * {@code staleAfter}, or no owner is known (a row removed once stale, or work claimed before
 * ownership was recorded). Work of a live other instance, and this incarnation's own, is not.
 *
 * @param self this incarnation
 * @param selfName this replica's name
 * @param now the database's clock, the one heartbeats are written with
 * @param instances every heartbeat row by incarnation id
 */
public record Abandonment(
    UUID self,
    String selfName,
    Instant now,
    Duration staleAfter,
    Map<UUID, OwnerRecord> instances) {

  public Abandonment {
    instances = Map.copyOf(instances);
  }

  /** Whether work owned by {@code owner} (null when none was recorded) is abandoned. */
  public boolean abandoned(UUID owner) {
    if (owner == null) {
      return true;
    }
    if (owner.equals(self)) {
      return false;
    }
    OwnerRecord record = instances.get(owner);
    if (record == null) {
      return true;
    }
    if (record.name().equals(selfName)) {
      // Names are unique among running instances: another incarnation of mine is a dead one.
      return true;
    }
    return record.heartbeatAt().plus(staleAfter).isBefore(now);
  }
}

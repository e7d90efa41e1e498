package dev.slipway.platform.instances;

import java.time.Instant;
import java.util.UUID;

/**
 * A service instance as its heartbeat row records it: {@code id} is one incarnation (one process
 * run), {@code name} the replica it runs as.
 */
public record OwnerRecord(UUID id, String name, Instant heartbeatAt) {}

package dev.slipway.deploy.runtime.local;

import dev.slipway.apps.process.RunningProcess;
import dev.slipway.deploy.runtime.AppRuntime.ReleaseSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the local runtime knows about one app. {@link #lock} serializes deploy, scale and destroy;
 * the object's own monitor guards the routing fields and the one-offs, and is only held briefly.
 */
final class LocalApp {
  final String name;
  final ReentrantLock lock = new ReentrantLock();
  final AppLog log;

  /** Every dyno whose process may still run, of whichever release; for {@code processes()}. */
  final Set<Dyno> live = ConcurrentHashMap.newKeySet();

  /** Guarded by {@link #lock}. */
  ReleaseSpec current;

  /** Guarded by {@link #lock}. */
  Integer previousVersion;

  /** Guarded by this. */
  boolean destroyed;

  /** The current release's dynos, the only ones that may be routed to. Guarded by this. */
  List<Dyno> serving = List.of();

  /** The web dyno the router sends to, null when none. Guarded by this. */
  Dyno routed;

  /** Running one-offs by name, and how many use each release's slug. Guarded by this. */
  final Map<String, OneOff> oneOffs = new HashMap<>();

  final Map<Integer, Integer> oneOffVersions = new HashMap<>();

  /** Guarded by this. */
  int oneOffCounter;

  LocalApp(String name, int logLines, long logBytes) {
    this.name = name;
    this.log = new AppLog(logLines, logBytes);
  }

  /** A running one-off process such as {@code run.1}. */
  record OneOff(String name, int version, RunningProcess process) {}
}

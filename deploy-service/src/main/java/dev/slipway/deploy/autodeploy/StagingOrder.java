package dev.slipway.deploy.autodeploy;

import java.time.Instant;
import java.util.Optional;

/**
 * Heroku's auto-deploy only ever moves a staging app forward along its branch's history: a build is
 * released only when it was queued after every build auto-deploy already released there, so a CI
 * re-run of an older commit, or an older run finishing last, never puts old code back.
 */
public final class StagingOrder {

  private StagingOrder() {}

  /**
   * Whether the build queued at {@code candidate} may be auto-deployed to an app whose newest
   * auto-deployed build was queued at {@code newestDeployed} (empty: nothing auto-deployed yet).
   */
  public static boolean movesForward(Instant candidate, Optional<Instant> newestDeployed) {
    return newestDeployed.isEmpty() || candidate.isAfter(newestDeployed.get());
  }
}

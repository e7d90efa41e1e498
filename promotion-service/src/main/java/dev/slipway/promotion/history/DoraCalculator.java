package dev.slipway.promotion.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes the DORA keys from production releases, with the definitions of dora-team/fourkeys
 * adapted to what the release events say (see docs/api.md, "DORA metrics"). Pure: the caller loads
 * the releases and the push times.
 */
public final class DoraCalculator {

  private DoraCalculator() {}

  /**
   * @param pipelineId the pipeline measured
   * @param window the window's text and length; it ends at {@code to}
   * @param productionApps the pipeline's production apps
   * @param releases every release of those apps (any order, any time; pending ones are ignored)
   * @param pushedAtOfDigest when the commit an artifact was built from was first pushed, by
   *     artifact digest; digests whose commit is unknown are absent
   * @param to the end of the window (now)
   */
  public static DoraMetrics compute(
      String pipelineId,
      DoraWindow window,
      List<String> productionApps,
      List<ReleaseRecord> releases,
      Map<String, Instant> pushedAtOfDigest,
      Instant to) {
    Instant from = to.minus(window.length());
    Map<String, List<ReleaseRecord>> byApp = new LinkedHashMap<>();
    releases.stream()
        .filter(r -> (r.succeeded() || r.failed()) && r.finishedAt() != null)
        .sorted(Comparator.comparing(ReleaseRecord::appName).thenComparing(ReleaseRecord::version))
        .forEach(r -> byApp.computeIfAbsent(r.appName(), a -> new ArrayList<>()).add(r));

    int deployments = 0;
    int finished = 0;
    int failures = 0;
    int rework = 0;
    List<Duration> leadTimes = new ArrayList<>();
    List<Duration> restores = new ArrayList<>();
    for (List<ReleaseRecord> history : byApp.values()) {
      Set<String> deployedBefore = new HashSet<>();
      String running = null;
      for (int i = 0; i < history.size(); i++) {
        ReleaseRecord release = history.get(i);
        boolean inWindow =
            !release.finishedAt().isBefore(from) && !release.finishedAt().isAfter(to);
        boolean shippedBefore = deployedBefore.contains(release.artifactDigest());
        // Only a first deployment of an artifact ships a change (and has a lead time). Rework
        // goes back to code the app ran before; a config-var change, or re-promoting the very
        // artifact the app already runs, changes no code and is not rework.
        boolean newChange = release.succeeded() && !release.isRollback() && !shippedBefore;
        boolean unchanged = release.artifactDigest().equals(running);
        boolean redeploy =
            release.succeeded()
                && (release.isRollback()
                    || (shippedBefore && !unchanged && !"config".equals(release.cause())));
        if (release.succeeded()) {
          deployedBefore.add(release.artifactDigest());
          running = release.artifactDigest();
        }
        if (!inWindow) {
          continue;
        }
        finished++;
        boolean failed = release.failed() || rolledBack(history, i);
        if (failed) {
          failures++;
          nextGood(history, i)
              .ifPresent(good -> restores.add(Duration.between(release.finishedAt(), good)));
        }
        if (release.succeeded()) {
          deployments++;
          if (redeploy) {
            rework++;
          }
          Instant pushedAt = newChange ? pushedAtOfDigest.get(release.artifactDigest()) : null;
          if (pushedAt != null) {
            leadTimes.add(Duration.between(pushedAt, release.finishedAt()));
          }
        }
      }
    }
    return new DoraMetrics(
        pipelineId,
        window.text(),
        from,
        to,
        productionApps,
        deployments,
        deployments / window.days(),
        median(leadTimes),
        leadTimes.size(),
        failures,
        finished,
        finished == 0 ? null : (double) failures / finished,
        median(restores),
        restores.size(),
        rework,
        deployments == 0 ? null : (double) rework / deployments);
  }

  /**
   * Whether the succeeded release at {@code index} was rolled back: a release with cause {@code
   * rollback} came after it before any other succeeded release replaced it.
   */
  static boolean rolledBack(List<ReleaseRecord> history, int index) {
    if (!history.get(index).succeeded()) {
      return false;
    }
    for (int j = index + 1; j < history.size(); j++) {
      ReleaseRecord later = history.get(j);
      if (later.isRollback()) {
        return true;
      }
      if (later.succeeded()) {
        return false;
      }
    }
    return false;
  }

  /** When the first succeeded release after {@code index} that was not rolled back finished. */
  private static Optional<Instant> nextGood(List<ReleaseRecord> history, int index) {
    for (int j = index + 1; j < history.size(); j++) {
      if (history.get(j).succeeded() && !rolledBack(history, j)) {
        return Optional.of(history.get(j).finishedAt());
      }
    }
    return Optional.empty();
  }

  /** The median, the mean of the two middle values for an even count; null for none. */
  static Duration median(List<Duration> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Duration> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1
        ? sorted.get(n / 2)
        : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
  }
}

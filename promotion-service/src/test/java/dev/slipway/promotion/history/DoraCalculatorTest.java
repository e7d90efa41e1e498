package dev.slipway.promotion.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.promotion.history.PipelineOverview.AppState;
import dev.slipway.promotion.history.PipelineOverview.StageApps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edge cases of the DORA definitions, the window syntax and the promotion preview. */
class DoraCalculatorTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant NOW = T0.plus(Duration.ofDays(10));

  @Test
  void aFailedRollbackStillMarksTheReleaseRolledBackAndRestoreWaitsForTheNextGoodRelease() {
    List<ReleaseRecord> releases =
        List.of(
            release(1, "a", "succeeded", "promotion", 1),
            release(2, "b", "succeeded", "promotion", 2), // bad
            release(3, "a", "failed", "rollback", 3), // the rollback itself failed
            release(4, "a", "succeeded", "rollback", 5));
    DoraMetrics m = compute(releases, Map.of());

    // v2 rolled back (by v3, although v3 failed) and v3 failed: 2 of 4.
    assertEquals(2, m.changeFailures());
    assertEquals(0.5, m.changeFailureRate());
    // v2 (+2h) → v4 (+5h) = 3h; v3 (+3h) → v4 (+5h) = 2h; median 2h30m.
    assertEquals(Duration.ofMinutes(150), m.timeToRestore());
    // Deployments v1 v2 v4; v4 is a rollback: rework 1 of 3.
    assertEquals(3, m.deployments());
    assertEquals(1.0 / 3, m.reworkRate(), 1e-9);
    // No push times known: no lead time.
    assertNull(m.leadTime());
    assertEquals(0, m.leadTimeSamples());
  }

  @Test
  void anUnrestoredFailureHasNoRestoreTimeAndReleasesOutsideTheWindowOnlyServeAsHistory() {
    List<ReleaseRecord> releases =
        List.of(
            release(1, "a", "succeeded", "promotion", -24 * 40), // before a 30-day window
            release(2, "b", "succeeded", "promotion", -24 * 35), // before the window too
            release(3, "a", "succeeded", "manual", 1), // back to a: rework
            release(4, "c", "failed", "promotion", 2));
    DoraMetrics m = compute(releases, Map.of("a", T0.minus(Duration.ofDays(41))));

    assertEquals(1, m.deployments());
    assertEquals(1.0, m.reworkRate());
    assertEquals(2, m.productionReleases());
    assertEquals(1, m.changeFailures());
    assertNull(m.timeToRestore());
    assertEquals(0, m.restores());
    // v3 is a redeploy, not a change: no lead time.
    assertNull(m.leadTime());
  }

  @Test
  void rePromotingTheArtifactProductionAlreadyRunsIsNotRework() {
    List<ReleaseRecord> releases =
        List.of(
            release(1, "a", "succeeded", "promotion", 1),
            release(2, "a", "succeeded", "promotion", 2)); // the same digest promoted again
    DoraMetrics m = compute(releases, Map.of("a", T0));

    assertEquals(2, m.deployments());
    assertEquals(0, m.reworkDeployments());
    assertEquals(0.0, m.reworkRate());
    assertEquals(1, m.leadTimeSamples());
  }

  @Test
  void aConfigVarReleaseIsADeploymentButNeitherReworkNorANewChange() {
    List<ReleaseRecord> releases =
        List.of(
            release(1, "a", "succeeded", "promotion", 1),
            release(2, "a", "succeeded", "config", 2)); // same artifact, new config vars
    DoraMetrics m = compute(releases, Map.of("a", T0));

    assertEquals(2, m.deployments());
    assertEquals(0.0, m.reworkRate());
    // Only v1 shipped commit "a": pushed at T0, running at +1h.
    assertEquals(1, m.leadTimeSamples());
    assertEquals(Duration.ofHours(1), m.leadTime());
  }

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertEquals(
        Duration.ofHours(2),
        DoraCalculator.median(
            List.of(Duration.ofHours(5), Duration.ofHours(1), Duration.ofHours(2))));
    assertNull(DoraCalculator.median(List.of()));
  }

  @Test
  void windowIsDaysOrHoursUpTo365Days() {
    assertEquals(Duration.ofDays(30), DoraWindow.parse("30d").length());
    assertEquals(Duration.ofHours(12), DoraWindow.parse("12h").length());
    assertEquals(0.5, DoraWindow.parse("12h").days());
    assertEquals(Duration.ofDays(365), DoraWindow.parse("8760h").length());
    for (String bad : new String[] {"0d", "366d", "8761h", "30", "d", "1w", "", "01d"}) {
      assertThrows(IllegalArgumentException.class, () -> DoraWindow.parse(bad), bad);
    }
  }

  @Test
  void previewWithNothingInProductionListsEveryPushUpToStaging() {
    List<PushRecord> pushes = List.of(push("c1", 1), push("c2", 2), push("c3", 3));
    PipelineOverview.PromotionPreview preview = Overviews.preview(stages("c2", null), pushes);
    assertEquals(
        List.of("c1", "c2"), preview.commits().stream().map(PushRecord::afterSha).toList());

    assertTrue(Overviews.preview(stages("c2", "c2"), pushes).commits().isEmpty());
    assertTrue(Overviews.preview(stages("c1", "c3"), pushes).commits().isEmpty());
    assertTrue(Overviews.preview(stages(null, "c1"), pushes).commits().isEmpty());
    assertFalse(Overviews.preview(stages("c3", "c1"), pushes).commits().isEmpty());
    assertNull(Overviews.preview(List.of(new StageApps("staging", List.of())), pushes));
  }

  private static DoraMetrics compute(List<ReleaseRecord> releases, Map<String, Instant> pushedAt) {
    return DoraCalculator.compute(
        "p", DoraWindow.parse("30d"), List.of("shop"), releases, pushedAt, NOW);
  }

  private static ReleaseRecord release(
      int version, String digest, String status, String cause, int hours) {
    Instant finished = T0.plus(Duration.ofHours(hours));
    return new ReleaseRecord(
        "r" + version, "p", "shop", version, digest, status, "", cause, finished, finished);
  }

  private static PushRecord push(String sha, int hours) {
    return new PushRecord("p", "main", sha, null, T0.plus(Duration.ofHours(hours)));
  }

  private static List<StageApps> stages(String stagingSha, String productionSha) {
    return List.of(
        new StageApps("staging", List.of(new AppState("shop-staging", null, stagingSha, null))),
        new StageApps("production", List.of(new AppState("shop", null, productionSha, null))));
  }
}

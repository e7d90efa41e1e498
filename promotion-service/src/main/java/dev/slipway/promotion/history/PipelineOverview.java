package dev.slipway.promotion.history;

import java.util.List;

/**
 * A pipeline at a glance, from the history projections only: each stage's apps with what runs
 * there, open review apps, builds in flight, and what promoting staging would ship.
 */
public record PipelineOverview(
    PipelineLayout pipeline,
    List<StageApps> stages,
    List<ReviewAppRecord> reviewApps,
    List<BuildRecord> buildsInFlight,
    PromotionPreview promotionPreview) {

  /** The apps coupled to one stage. */
  public record StageApps(String stage, List<AppState> apps) {}

  /**
   * An app's current release (null before its first succeeded release), the commit it was built
   * from (null when the build is unknown) and that commit's latest test run (null when none).
   */
  public record AppState(
      String appName, ReleaseRecord release, String commitSha, TestRunRecord testRun) {}

  /**
   * The commits pushed to the pipeline's branch after the target app's commit, up to and including
   * the source app's, oldest first: Heroku's compare view of a promotion.
   */
  public record PromotionPreview(
      String sourceApp,
      String sourceCommitSha,
      String targetApp,
      String targetCommitSha,
      List<PushRecord> commits) {}
}

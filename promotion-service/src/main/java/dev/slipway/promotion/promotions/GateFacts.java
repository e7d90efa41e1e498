package dev.slipway.promotion.promotions;

import dev.slipway.events.testrun.TestRunStatus;
import java.util.Optional;
import java.util.UUID;

/**
 * What the gates of one promotion look at, gathered from the history and the promotion tables
 * before {@link PromotionGates#evaluate} decides.
 *
 * @param sourceReleaseStatus the source release's status ({@code succeeded}, {@code pending}, …),
 *     empty when the history does not know the release
 * @param commitSha the artifact's commit, empty when no build told us
 * @param latestTestRun the latest test run of that commit in the pipeline, if any
 * @param approvals how many distinct people approved
 * @param otherInFlight another promotion already requested to one of the same targets, if any
 */
public record GateFacts(
    String sourceApp,
    int sourceVersion,
    Optional<String> sourceReleaseStatus,
    Optional<String> commitSha,
    Optional<TestRun> latestTestRun,
    int approvals,
    Optional<InFlight> otherInFlight) {

  /** A test run of the artifact's commit: its number in the pipeline and its Heroku CI status. */
  public record TestRun(Integer number, String status) {
    boolean succeeded() {
      return TestRunStatus.SUCCEEDED.name().equalsIgnoreCase(status);
    }
  }

  /** {@code app} is being shipped by promotion {@code promotionId}. */
  public record InFlight(String app, UUID promotionId) {}
}

package dev.slipway.promotion.promotions;

import dev.slipway.events.release.ReleaseStatus;
import dev.slipway.promotion.pipeline.PipelineSpec.PromotionPolicy;
import java.util.List;

/**
 * The promotion gates as a pure rule: facts and the pipeline's policy in, each gate's verdict with
 * its reason out (no database, no framework; {@link Promotions} gathers the facts).
 */
public final class PromotionGates {

  private PromotionGates() {}

  /** Every gate of {@link Gate}, in that order. */
  public static GateDecision evaluate(GateFacts facts, PromotionPolicy policy) {
    return new GateDecision(
        List.of(
            sourceRelease(facts),
            tests(facts, policy),
            approvals(facts, policy),
            targetsFree(facts)));
  }

  private static GateVerdict sourceRelease(GateFacts facts) {
    String name = facts.sourceApp() + " v" + facts.sourceVersion();
    if (facts.sourceReleaseStatus().isEmpty()) {
      return GateVerdict.block(Gate.SOURCE_RELEASE, name + " is not known");
    }
    String status = facts.sourceReleaseStatus().get();
    if (!ReleaseStatus.SUCCEEDED.name().equalsIgnoreCase(status)) {
      return GateVerdict.block(Gate.SOURCE_RELEASE, name + " has not succeeded (" + status + ")");
    }
    return GateVerdict.pass(Gate.SOURCE_RELEASE, name + " succeeded");
  }

  private static GateVerdict tests(GateFacts facts, PromotionPolicy policy) {
    if (!policy.requirePassingTests()) {
      return GateVerdict.pass(Gate.TESTS, "the pipeline does not require passing tests");
    }
    if (facts.commitSha().isEmpty()) {
      return GateVerdict.block(Gate.TESTS, "the artifact's commit is not known");
    }
    String sha = facts.commitSha().get();
    String commit = sha.substring(0, Math.min(7, sha.length()));
    if (facts.latestTestRun().isEmpty()) {
      return GateVerdict.block(Gate.TESTS, "no test run of " + commit + " yet");
    }
    GateFacts.TestRun run = facts.latestTestRun().get();
    String name = "test run #" + run.number() + " of " + commit;
    return run.succeeded()
        ? GateVerdict.pass(Gate.TESTS, name + " succeeded")
        : GateVerdict.block(Gate.TESTS, name + " is " + run.status());
  }

  private static GateVerdict approvals(GateFacts facts, PromotionPolicy policy) {
    int required = policy.requiredApprovals();
    if (required == 0) {
      return GateVerdict.pass(Gate.APPROVALS, "no approval required");
    }
    int given = facts.approvals();
    return given >= required
        ? GateVerdict.pass(Gate.APPROVALS, given + " of " + required + " approvals")
        : GateVerdict.block(Gate.APPROVALS, given + " of " + required + " required approvals");
  }

  private static GateVerdict targetsFree(GateFacts facts) {
    return facts
        .otherInFlight()
        .map(
            busy ->
                GateVerdict.block(
                    Gate.TARGETS_FREE,
                    busy.app() + " is being promoted by promotion " + busy.promotionId()))
        .orElseGet(
            () ->
                GateVerdict.pass(Gate.TARGETS_FREE, "no other promotion to these apps in flight"));
  }
}

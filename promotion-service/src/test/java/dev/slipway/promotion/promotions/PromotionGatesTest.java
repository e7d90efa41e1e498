package dev.slipway.promotion.promotions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.promotion.pipeline.PipelineSpec.PromotionPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The promotion gates as tables: each gate alone, then every combination of blocked gates. */
class PromotionGatesTest {

  static final UUID OTHER = UUID.fromString("7d1c2f4e-0000-4000-8000-000000000001");

  /** The facts and policy one row evaluates. */
  record Case(GateFacts facts, PromotionPolicy policy) {

    Case facts(UnaryOperator<Facts> change) {
      return new Case(change.apply(Facts.of(facts)).build(), policy);
    }

    Case approvalsRequired(int approvals) {
      return new Case(
          facts,
          new PromotionPolicy(approvals, policy.selfApproval(), policy.requirePassingTests()));
    }

    Case testsRequired(boolean tests) {
      return new Case(
          facts, new PromotionPolicy(policy.requiredApprovals(), policy.selfApproval(), tests));
    }
  }

  /** A mutable copy of {@link GateFacts}, so a row states only what it changes. */
  static final class Facts {
    Optional<String> release;
    Optional<String> commit;
    Optional<GateFacts.TestRun> run;
    int approvals;
    Optional<GateFacts.InFlight> busy;

    static Facts of(GateFacts f) {
      Facts c = new Facts();
      c.release = f.sourceReleaseStatus();
      c.commit = f.commitSha();
      c.run = f.latestTestRun();
      c.approvals = f.approvals();
      c.busy = f.otherInFlight();
      return c;
    }

    Facts release(String status) {
      release = Optional.ofNullable(status);
      return this;
    }

    Facts commit(String sha) {
      commit = Optional.ofNullable(sha);
      return this;
    }

    Facts run(Integer number, String status) {
      run = status == null ? Optional.empty() : Optional.of(new GateFacts.TestRun(number, status));
      return this;
    }

    Facts approvals(int given) {
      approvals = given;
      return this;
    }

    Facts busy(String app) {
      busy = Optional.ofNullable(app).map(a -> new GateFacts.InFlight(a, OTHER));
      return this;
    }

    GateFacts build() {
      return new GateFacts("web-staging", 3, release, commit, run, approvals, busy);
    }
  }

  /**
   * Every gate green: the release succeeded, test run #5 of the commit succeeded (and tests are
   * required), one of one approvals, nothing else in flight.
   */
  static final Case GREEN =
      new Case(
          new GateFacts(
              "web-staging",
              3,
              Optional.of("succeeded"),
              Optional.of("abcdef1234567890"),
              Optional.of(new GateFacts.TestRun(5, "succeeded")),
              1,
              Optional.empty()),
          new PromotionPolicy(1, false, true));

  /** One gate's situation and the verdict it must reach; the other gates stay green. */
  record Row(Gate gate, String situation, Case input, boolean passes, String reason) {
    @Override
    public String toString() {
      return gate + ": " + situation;
    }
  }

  static List<Row> eachGateAlone() {
    return List.of(
        // source release
        new Row(Gate.SOURCE_RELEASE, "succeeded", GREEN, true, "web-staging v3 succeeded"),
        new Row(
            Gate.SOURCE_RELEASE,
            "not in the history",
            GREEN.facts(f -> f.release(null)),
            false,
            "web-staging v3 is not known"),
        new Row(
            Gate.SOURCE_RELEASE,
            "still deploying",
            GREEN.facts(f -> f.release("pending")),
            false,
            "web-staging v3 has not succeeded (pending)"),
        new Row(
            Gate.SOURCE_RELEASE,
            "failed",
            GREEN.facts(f -> f.release("failed")),
            false,
            "web-staging v3 has not succeeded (failed)"),
        // tests
        new Row(Gate.TESTS, "run succeeded", GREEN, true, "test run #5 of abcdef1 succeeded"),
        new Row(
            Gate.TESTS,
            "not required, no run",
            GREEN.testsRequired(false).facts(f -> f.run(null, null)),
            true,
            "the pipeline does not require passing tests"),
        new Row(
            Gate.TESTS,
            "not required, run failed",
            GREEN.testsRequired(false).facts(f -> f.run(5, "failed")),
            true,
            "the pipeline does not require passing tests"),
        new Row(
            Gate.TESTS,
            "not required, commit unknown",
            GREEN.testsRequired(false).facts(f -> f.commit(null).run(null, null)),
            true,
            "the pipeline does not require passing tests"),
        new Row(
            Gate.TESTS,
            "commit unknown",
            GREEN.facts(f -> f.commit(null).run(null, null)),
            false,
            "the artifact's commit is not known"),
        new Row(
            Gate.TESTS,
            "no run of the commit yet",
            GREEN.facts(f -> f.run(null, null)),
            false,
            "no test run of abcdef1 yet"),
        new Row(
            Gate.TESTS,
            "short commit named whole",
            GREEN.facts(f -> f.commit("abc").run(null, null)),
            false,
            "no test run of abc yet"),
        new Row(
            Gate.TESTS,
            "latest run failed",
            GREEN.facts(f -> f.run(6, "failed")),
            false,
            "test run #6 of abcdef1 is failed"),
        new Row(
            Gate.TESTS,
            "latest run still running",
            GREEN.facts(f -> f.run(7, "running")),
            false,
            "test run #7 of abcdef1 is running"),
        new Row(
            Gate.TESTS,
            "latest run errored",
            GREEN.facts(f -> f.run(8, "errored")),
            false,
            "test run #8 of abcdef1 is errored"),
        // approvals
        new Row(Gate.APPROVALS, "one of one", GREEN, true, "1 of 1 approvals"),
        new Row(
            Gate.APPROVALS,
            "none required, none given",
            GREEN.approvalsRequired(0).facts(f -> f.approvals(0)),
            true,
            "no approval required"),
        new Row(
            Gate.APPROVALS,
            "none required, some given",
            GREEN.approvalsRequired(0).facts(f -> f.approvals(2)),
            true,
            "no approval required"),
        new Row(
            Gate.APPROVALS,
            "none of two",
            GREEN.approvalsRequired(2).facts(f -> f.approvals(0)),
            false,
            "0 of 2 required approvals"),
        new Row(
            Gate.APPROVALS,
            "one of two",
            GREEN.approvalsRequired(2).facts(f -> f.approvals(1)),
            false,
            "1 of 2 required approvals"),
        new Row(
            Gate.APPROVALS,
            "more than required",
            GREEN.facts(f -> f.approvals(3)),
            true,
            "3 of 1 approvals"),
        // targets free
        new Row(
            Gate.TARGETS_FREE,
            "nothing in flight",
            GREEN,
            true,
            "no other promotion to these apps in flight"),
        new Row(
            Gate.TARGETS_FREE,
            "a target is being promoted",
            GREEN.facts(f -> f.busy("web-prod")),
            false,
            "web-prod is being promoted by promotion " + OTHER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eachGateAlone")
  void eachGateReachesItsVerdictWithItsReasonWhileTheOthersPass(Row row) {
    GateDecision decision = PromotionGates.evaluate(row.input().facts(), row.input().policy());

    GateVerdict verdict = decision.verdicts().get(row.gate().ordinal());
    assertEquals(new GateVerdict(row.gate(), row.passes(), row.reason()), verdict);
    decision.verdicts().stream()
        .filter(v -> v.gate() != row.gate())
        .forEach(v -> assertEquals(true, v.passed(), v.gate() + " should pass: " + v.reason()));
    assertEquals(row.passes(), decision.passed());
    assertEquals(row.passes() ? List.of() : List.of(row.reason()), decision.blockingReasons());
  }

  /** One way to block each gate, with the reason it gives. */
  record Block(Gate gate, UnaryOperator<Case> apply, String reason) {}

  static final List<Block> BLOCKS =
      List.of(
          new Block(
              Gate.SOURCE_RELEASE,
              c -> c.facts(f -> f.release("failed")),
              "web-staging v3 has not succeeded (failed)"),
          new Block(
              Gate.TESTS,
              c -> c.facts(f -> f.run(6, "failed")),
              "test run #6 of abcdef1 is failed"),
          new Block(
              Gate.APPROVALS,
              c -> c.approvalsRequired(2).facts(f -> f.approvals(1)),
              "1 of 2 required approvals"),
          new Block(
              Gate.TARGETS_FREE,
              c -> c.facts(f -> f.busy("web-prod")),
              "web-prod is being promoted by promotion " + OTHER));

  /** Every subset of blocked gates (all 16), as the list of gates blocked. */
  static Stream<Arguments> everyCombination() {
    return IntStream.range(0, 1 << BLOCKS.size())
        .mapToObj(
            mask -> {
              List<Gate> blocked = new ArrayList<>();
              for (int i = 0; i < BLOCKS.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                  blocked.add(BLOCKS.get(i).gate());
                }
              }
              return Arguments.of(blocked);
            });
  }

  @ParameterizedTest(name = "blocked: {0}")
  @MethodSource("everyCombination")
  void aPromotionShipsOnlyWhenNoGateBlocksAndNamesEveryBlockingReasonInGateOrder(
      List<Gate> blocked) {
    Case input = GREEN;
    List<String> expectedReasons = new ArrayList<>();
    for (Block b : BLOCKS) {
      if (blocked.contains(b.gate())) {
        input = b.apply().apply(input);
        expectedReasons.add(b.reason());
      }
    }

    GateDecision decision = PromotionGates.evaluate(input.facts(), input.policy());

    assertEquals(blocked.isEmpty(), decision.passed());
    assertEquals(expectedReasons, decision.blockingReasons());
    assertEquals(
        Arrays.asList(Gate.values()), decision.verdicts().stream().map(GateVerdict::gate).toList());
    decision
        .verdicts()
        .forEach(v -> assertEquals(!blocked.contains(v.gate()), v.passed(), v.gate().id()));
  }

  @Test
  void aPipelineWithoutRequirementsShipsASucceededReleaseWithNoTestsNorApprovals() {
    GateFacts facts =
        new GateFacts(
            "web-staging",
            3,
            Optional.of("succeeded"),
            Optional.empty(),
            Optional.empty(),
            0,
            Optional.empty());

    GateDecision decision = PromotionGates.evaluate(facts, new PromotionPolicy(0, false, false));

    assertEquals(true, decision.passed());
    assertEquals(
        List.of(
            "web-staging v3 succeeded",
            "the pipeline does not require passing tests",
            "no approval required",
            "no other promotion to these apps in flight"),
        decision.verdicts().stream().map(GateVerdict::reason).toList());
  }
}

package dev.slipway.promotion.promotions;

import java.util.List;

/** Every gate's verdict, in {@link Gate} order; the promotion ships when all passed. */
public record GateDecision(List<GateVerdict> verdicts) {

  public GateDecision {
    verdicts = List.copyOf(verdicts);
  }

  public boolean passed() {
    return verdicts.stream().allMatch(GateVerdict::passed);
  }

  /** The reasons of the gates that block, in gate order (empty when the promotion may ship). */
  public List<String> blockingReasons() {
    return verdicts.stream().filter(v -> !v.passed()).map(GateVerdict::reason).toList();
  }
}

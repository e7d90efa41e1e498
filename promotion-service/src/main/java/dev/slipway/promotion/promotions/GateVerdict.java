package dev.slipway.promotion.promotions;

/** Whether one gate lets a promotion through, and why. */
public record GateVerdict(Gate gate, boolean passed, String reason) {

  static GateVerdict pass(Gate gate, String reason) {
    return new GateVerdict(gate, true, reason);
  }

  static GateVerdict block(Gate gate, String reason) {
    return new GateVerdict(gate, false, reason);
  }
}

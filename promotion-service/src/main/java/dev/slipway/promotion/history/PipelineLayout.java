package dev.slipway.promotion.history;

import java.util.List;
import java.util.UUID;

/** A pipeline's name, branch and coupled apps, as the overview and the DORA metrics need them. */
public record PipelineLayout(UUID id, String name, String branch, List<Coupling> couplings) {

  /** One app in one stage ({@code review}, {@code staging} or {@code production}). */
  public record Coupling(String stage, String appName) {}

  /** The apps of {@code stage}, in name order. */
  public List<String> apps(String stage) {
    return couplings.stream().filter(c -> c.stage().equals(stage)).map(Coupling::appName).toList();
  }
}

package dev.slipway.promotion.promotions;

import dev.slipway.promotion.pipeline.PipelineSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which apps a promotion ships to (a pure rule): the requested ones when they are other apps of the
 * pipeline, else the apps of the stage after the source's.
 */
final class PromotionTargets {

  private PromotionTargets() {}

  /** Explicit targets must be other apps of the pipeline; by default, the next stage's apps. */
  static List<String> resolve(PipelineSpec spec, String sourceApp, List<String> requested) {
    Optional<PipelineSpec.Coupling> source =
        spec.couplings().stream().filter(c -> c.appName().equals(sourceApp)).findFirst();
    if (source.isEmpty()) {
      throw new PromotionRefusedException(
          422, "source.app", sourceApp + " is not an app of pipeline " + spec.name());
    }
    if (!requested.isEmpty()) {
      Set<String> coupled =
          Set.copyOf(spec.couplings().stream().map(PipelineSpec.Coupling::appName).toList());
      for (String app : requested) {
        if (!coupled.contains(app) || app.equals(sourceApp)) {
          throw new PromotionRefusedException(
              422, "targets", app + " is not another app of pipeline " + spec.name());
        }
      }
      return List.copyOf(new LinkedHashSet<>(requested));
    }
    String next =
        switch (source.get().stage()) {
          case "review" -> "staging";
          case "staging" -> "production";
          default -> null;
        };
    List<String> apps =
        spec.couplings().stream()
            .filter(c -> c.stage().equals(next))
            .map(PipelineSpec.Coupling::appName)
            .toList();
    if (apps.isEmpty()) {
      throw new PromotionRefusedException(
          422,
          "targets",
          "no app in the stage after " + source.get().stage() + "; name the targets");
    }
    return apps;
  }
}

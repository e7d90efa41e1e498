package dev.slipway.promotion.dashboard;

import dev.slipway.promotion.history.HistoryChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Tells open dashboards which pipeline's history just changed, so that they fetch it again at once
 * instead of polling.
 */
@ApplicationScoped
public class PipelineChanges {

  private final BroadcastProcessor<String> changed = BroadcastProcessor.create();

  void onHistoryChanged(@Observes HistoryChanged change) {
    changed.onNext(change.pipelineId());
  }

  /**
   * The ids of pipelines as they change, from now on; a slow reader loses notices rather than
   * holding others up (each notice only says "fetch again").
   */
  public Multi<String> of(String pipelineId) {
    return changed.filter(pipelineId::equals).onOverflow().drop();
  }
}

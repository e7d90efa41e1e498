package dev.slipway.promotion.promotions;

import dev.slipway.platform.leader.LeaderElection;
import dev.slipway.platform.work.Blocking;
import dev.slipway.promotion.history.HistoryChanged;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Gates can turn green without anyone touching the promotion (a test run finishes, a release
 * succeeds): waiting promotions are re-evaluated as soon as such a fact reaches the history, and on
 * a slow timer as a safety net. The timer runs on the replica leading job {@code
 * promotion-gate-sweep} only; the nudges run where the fact arrived (one replica per partition).
 */
@ApplicationScoped
public class PromotionGateSweeper {

  private static final Logger LOG = Logger.getLogger(PromotionGateSweeper.class);

  static final String JOB = "promotion-gate-sweep";

  private final Promotions promotions;
  private final LeaderElection election;
  private final ExecutorService nudges =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "promotion-gate-nudge");
            t.setDaemon(true);
            return t;
          });

  /** A re-evaluation is queued and has not started: later changes are covered by it. */
  private final AtomicBoolean queued = new AtomicBoolean();

  public PromotionGateSweeper(Promotions promotions, LeaderElection election) {
    this.promotions = promotions;
    this.election = election;
  }

  void contend(@Observes StartupEvent event) {
    election.leads(JOB);
  }

  @Scheduled(
      every = "${slipway.promotions.gate-sweep:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    // Every replica sweeping would re-evaluate every waiting promotion once per replica.
    if (!election.leads(JOB)) {
      return Uni.createFrom().voidItem();
    }
    return promotions.reevaluateAllWaiting();
  }

  void onHistoryChanged(@Observes HistoryChanged changed) {
    if (queued.compareAndSet(false, true)) {
      nudges.execute(
          () -> {
            queued.set(false);
            try {
              Blocking.await(promotions::reevaluateAllWaiting);
            } catch (RuntimeException e) {
              LOG.warnf(e, "re-evaluating waiting promotions failed; the next sweep retries");
            }
          });
    }
  }

  @PreDestroy
  void stop() {
    nudges.shutdownNow();
  }
}

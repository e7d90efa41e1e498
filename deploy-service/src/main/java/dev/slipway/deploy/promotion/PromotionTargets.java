package dev.slipway.deploy.promotion;

import dev.slipway.deploy.apps.persistence.AppEntity;
import dev.slipway.deploy.releases.ReleaseCause;
import dev.slipway.deploy.releases.ReleaseRefusedException;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.events.EventType;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.promotion.PromotionTargetFinished;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.platform.outbox.Outbox;
import dev.slipway.platform.work.InSequence;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A promotion's targets: one release per target app with the source release's artifact (no rebuild)
 * and the target's own config; a target that cannot be released reports failed at once.
 */
@ApplicationScoped
public class PromotionTargets {

  private final Releases releases;
  private final Outbox outbox;

  public PromotionTargets(Releases releases, Outbox outbox) {
    this.releases = releases;
    this.outbox = outbox;
  }

  public Uni<Void> onRequested(Mutiny.Session session, PromotionRequested promotion) {
    return InSequence.forEach(promotion.targets(), target -> target(session, promotion, target));
  }

  private Uni<Void> target(Mutiny.Session session, PromotionRequested p, String target) {
    return session
        .find(AppEntity.class, target)
        .flatMap(
            app -> {
              if (app == null) {
                return failed(session, p, target, "no app " + target);
              }
              return dev.slipway.deploy.artifacts.Artifacts.byDigest(session, p.artifactDigest())
                  .flatMap(
                      artifact ->
                          artifact == null
                              ? failed(
                                  session,
                                  p,
                                  target,
                                  "artifact " + p.artifactDigest() + " is unknown here")
                              : releases
                                  .create(
                                      session,
                                      target,
                                      p.artifactDigest(),
                                      null,
                                      "Promote "
                                          + p.sourceApp()
                                          + " (promotion "
                                          + p.promotionId()
                                          + ")",
                                      ReleaseCause.PROMOTION,
                                      "promotion",
                                      UUID.fromString(p.promotionId()))
                                  .replaceWithVoid());
            })
        .onFailure(ReleaseRefusedException.class)
        .recoverWithUni(e -> failed(session, p, target, e.getMessage()));
  }

  private Uni<Void> failed(
      Mutiny.Session session, PromotionRequested p, String target, String why) {
    return outbox
        .record(
            session,
            EventType.PROMOTION_TARGET_FINISHED,
            new PromotionTargetFinished(
                p.pipelineId(), p.promotionId(), target, PromotionTargetStatus.FAILED, null, why))
        .replaceWithVoid();
  }
}

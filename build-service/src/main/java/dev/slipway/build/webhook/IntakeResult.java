package dev.slipway.build.webhook;

import java.util.UUID;

/** What intake did with a verified delivery. */
public record IntakeResult(Outcome outcome, UUID buildId, String reason) {

  /** The kinds of answer a verified delivery gets. */
  public enum Outcome {
    /** A build was queued (and the change recorded). */
    BUILD_QUEUED,
    /**
     * The commit was already built by this pipeline: a succeeded build reusing that artifact was
     * recorded instead of building again.
     */
    BUILD_REUSED,
    /** The change was recorded; nothing to build (PR closed, branch deleted). */
    CHANGE_RECORDED,
    /** Verified but not acted on (tag, branch not followed, other event kinds). */
    IGNORED,
    /** This delivery id was seen before: nothing done again. */
    DUPLICATE,
    /** The forge's hook check. */
    PONG
  }
}

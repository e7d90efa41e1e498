package dev.slipway.build.webhook;

/** A delivery refused before anything was recorded: why, and whose fault. */
public class WebhookRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a delivery was refused. */
  public enum Reason {
    /** No pipeline has this id or name. */
    UNKNOWN_PIPELINE,
    /** The delivery names a repository the pipeline does not build. */
    UNKNOWN_REPOSITORY,
    /** Signature or token missing or wrong, or the pipeline has no webhook secret. */
    BAD_SIGNATURE,
    /** The body is larger than the configured cap. */
    TOO_LARGE,
    /**
     * No such pipeline yet, but this instance has not read every pipeline change: it may have been
     * created a moment ago (retry).
     */
    CATCHING_UP
  }

  private final Reason reason;

  public WebhookRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

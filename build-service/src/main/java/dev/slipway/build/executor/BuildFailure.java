package dev.slipway.build.executor;

/**
 * A build that produced nothing: {@link Kind#FAILED} is the user's code, {@link Kind#ERRORED} is
 * Slipway's fault (including timeouts), {@link Kind#CANCELLED} someone stopped it.
 */
public class BuildFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** Whose fault. */
  public enum Kind {
    FAILED,
    ERRORED,
    CANCELLED
  }

  private final Kind kind;

  public BuildFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

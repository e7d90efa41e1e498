package dev.slipway.build.source;

/**
 * Fetching a commit failed: {@code usersFault} when the repository itself is the problem (commit
 * gone, submodules, LFS), otherwise Slipway could not reach or read it.
 */
public class SourceException extends Exception {

  private static final long serialVersionUID = 1L;
  private final boolean usersFault;

  public SourceException(boolean usersFault, String message) {
    super(message);
    this.usersFault = usersFault;
  }

  public SourceException(boolean usersFault, String message, Throwable cause) {
    super(message, cause);
    this.usersFault = usersFault;
  }

  public boolean usersFault() {
    return usersFault;
  }
}

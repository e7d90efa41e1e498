package dev.slipway.cli;

/** A failure to show the user as one line, without a stack trace; the command exits non-zero. */
public class CliException extends RuntimeException {

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}

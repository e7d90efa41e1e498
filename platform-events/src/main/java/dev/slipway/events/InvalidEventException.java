package dev.slipway.events;

/**
 * Signals a message that is not a valid Slipway event: a missing or malformed CloudEvents
 * attribute, an unknown type, or data that does not hold the type's payload.
 *
 * <p>Unchecked because a consumer cannot repair such a message; it routes it to its dead-letter
 * topic with this message as the error.
 */
public class InvalidEventException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}

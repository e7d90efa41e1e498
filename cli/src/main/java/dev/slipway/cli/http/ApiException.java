package dev.slipway.cli.http;

import dev.slipway.cli.CliException;

/** An API refusal: its HTTP status and the message the service gave. */
public class ApiException extends CliException {

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

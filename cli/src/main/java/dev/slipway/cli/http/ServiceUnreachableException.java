package dev.slipway.cli.http;

import dev.slipway.cli.CliException;

/** A service did not answer at all (refused, timed out): nothing reached it, so a retry is safe. */
public class ServiceUnreachableException extends CliException {

  public ServiceUnreachableException(String message) {
    super(message);
  }
}

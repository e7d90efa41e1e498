package dev.slipway.apps.process;

import java.io.IOException;

/** Untrusted code was to be started but the sandbox is unavailable here: it is not started. */
public final class SandboxUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public SandboxUnavailableException(String message) {
    super(message);
  }
}

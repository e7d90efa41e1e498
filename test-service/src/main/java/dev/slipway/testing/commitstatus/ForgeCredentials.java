package dev.slipway.testing.commitstatus;

import java.net.URI;
import java.util.Objects;

/**
 * The token to call a forge's API with, and its base URL when it cannot be derived from the
 * repository URL (null otherwise); {@link #toString()} never shows the token.
 */
public record ForgeCredentials(String token, URI apiBaseUrl) {

  public ForgeCredentials {
    Objects.requireNonNull(token, "token");
  }

  /** Credentials for a forge whose API base follows from the repository URL. */
  public static ForgeCredentials of(String token) {
    return new ForgeCredentials(token, null);
  }

  @Override
  public String toString() {
    return "ForgeCredentials[token=***, apiBaseUrl=" + apiBaseUrl + "]";
  }
}

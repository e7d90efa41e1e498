package dev.slipway.platform.secrets;

import dev.slipway.events.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform key that seals pipeline secrets on the pipelines topic (ADR 0008), from {@code
 * slipway.secrets.key} (environment: {@code SLIPWAY_SECRETS_KEY}), shared by every service.
 */
@ApplicationScoped
public class PlatformSecrets {

  private final Optional<String> key;
  private volatile SecretBox box;

  PlatformSecrets(@ConfigProperty(name = "slipway.secrets.key") Optional<String> key) {
    this.key = key;
  }

  /**
   * The box sealing and opening pipeline secrets.
   *
   * @throws IllegalStateException when no key is configured or the key is malformed
   */
  public SecretBox box() {
    SecretBox current = box;
    if (current == null) {
      try {
        current = SecretBox.fromBase64Key(key.orElse(null));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(e.getMessage() + " (set SLIPWAY_SECRETS_KEY)", e);
      }
      box = current;
    }
    return current;
  }
}

package dev.slipway.platform.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.events.InvalidEventException;
import dev.slipway.events.SecretBox;
import dev.slipway.events.pipeline.PipelineSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform key that seals pipeline secrets on the pipelines topic (ADR 0008), from {@code
 * slipway.secrets.key} (environment: {@code SLIPWAY_SECRETS_KEY}), shared by every service.
 */
@ApplicationScoped
public class PlatformSecrets {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> VARS = new TypeReference<>() {};

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
      current = boxFor(key);
      box = current;
    }
    return current;
  }

  /**
   * The box for a configured {@code slipway.secrets.key}, for code that runs before CDI does (a
   * Flyway Java migration sealing stored secrets).
   *
   * @throws IllegalStateException when no key is configured or the key is malformed
   */
  public static SecretBox boxFor(Optional<String> key) {
    try {
      return SecretBox.fromBase64Key(key.orElse(null));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage() + " (set SLIPWAY_SECRETS_KEY)", e);
    }
  }

  /** The pipeline's webhook secret, or empty when it has none or it does not open (ADR 0008). */
  public Optional<String> webhookSecret(PipelineSnapshot pipeline) {
    return open(
        pipeline,
        pipeline.sealed() == null ? null : pipeline.sealed().webhookSecret(),
        PipelineSnapshot.Sealed.WEBHOOK_SECRET);
  }

  /** The pipeline's forge API token, or empty. */
  public Optional<String> forgeToken(PipelineSnapshot pipeline) {
    return open(
        pipeline,
        pipeline.sealed() == null ? null : pipeline.sealed().forgeToken(),
        PipelineSnapshot.Sealed.FORGE_TOKEN);
  }

  /** The config vars test runs get (Heroku CI's "test" config), empty when none. */
  public Map<String, String> testConfigVars(PipelineSnapshot pipeline) {
    return vars(
        open(
            pipeline,
            pipeline.sealed() == null ? null : pipeline.sealed().testConfigVars(),
            PipelineSnapshot.Sealed.TEST_CONFIG_VARS));
  }

  /** The config vars review apps get (the pipeline's review stage config), empty when none. */
  public Map<String, String> reviewConfigVars(PipelineSnapshot pipeline) {
    return vars(
        open(
            pipeline,
            pipeline.sealed() == null ? null : pipeline.sealed().reviewConfigVars(),
            PipelineSnapshot.Sealed.REVIEW_CONFIG_VARS));
  }

  private Optional<String> open(PipelineSnapshot pipeline, String sealed, String field) {
    if (sealed == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(box().open(sealed, pipeline.pipelineId(), field));
    } catch (InvalidEventException e) {
      // Sealed under another key (rotation) or tampered with: treated as not set, never guessed.
      return Optional.empty();
    }
  }

  private static Map<String, String> vars(Optional<String> json) {
    if (json.isEmpty()) {
      return Map.of();
    }
    try {
      return Map.copyOf(JSON.readValue(json.get(), VARS));
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }
}

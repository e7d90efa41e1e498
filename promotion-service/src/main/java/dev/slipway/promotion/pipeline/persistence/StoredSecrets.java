package dev.slipway.promotion.pipeline.persistence;

import dev.slipway.events.InvalidEventException;
import dev.slipway.events.SecretBox;
import java.util.Optional;

/**
 * How a pipeline's secrets (webhook secret, forge token, test and review config vars) sit in its
 * table: sealed under the platform key exactly as on the pipelines topic (ADR 0008, ADR 0011), so a
 * copy of the database or a role that can read the table learns nothing.
 */
public final class StoredSecrets {

  private StoredSecrets() {}

  /** The value to store for {@code plaintext} (null stays null). */
  public static String seal(SecretBox box, String pipelineId, String field, String plaintext) {
    return box.seal(plaintext, pipelineId, field);
  }

  /**
   * The plaintext of a stored value; empty when there is none or it does not open (sealed under
   * another key, or moved to another pipeline or column, or never sealed): treated as not set,
   * never guessed.
   */
  public static Optional<String> open(
      SecretBox box, String pipelineId, String field, String stored) {
    if (stored == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(box.open(stored, pipelineId, field));
    } catch (InvalidEventException e) {
      return Optional.empty();
    }
  }
}

package dev.slipway.apps.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mask of one app's log: the values of every config var that is secret, by its look or because
 * its name was declared secret (what the API shows redacted), across all the releases it was given,
 * since a rotated secret is still a secret and old processes may still print it. Thread-safe.
 */
public final class ConfigMask {

  private final Set<String> secrets = new HashSet<>();
  private volatile Redactor redactor = Redactor.none();

  /** Adds the secret values of {@code config}; cheap when none is new. */
  public void add(Map<String, String> config) {
    add(config, Set.of());
  }

  /**
   * Adds the values of {@code config} that are {@link SecretNames#isSecret(String, String, Set)
   * secret}: named in {@code marked}, or looking secret; cheap when none is new.
   */
  public void add(Map<String, String> config, Set<String> marked) {
    synchronized (secrets) {
      boolean added = false;
      for (Map.Entry<String, String> var : config.entrySet()) {
        if (SecretNames.isSecret(var.getKey(), var.getValue(), marked)) {
          added |= secrets.add(var.getValue());
        }
      }
      if (added) {
        redactor = Redactor.of(secrets);
      }
    }
  }

  /** The line with every secret value seen so far replaced by {@value Redactor#MARK}. */
  public String redact(String line) {
    return redactor.redact(line);
  }
}

package dev.slipway.apps.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mask of one app's log: the values of every config var that {@link SecretNames} calls secret
 * (what the API shows redacted), across all the releases it was given, since a rotated secret is
 * still a secret and old processes may still print it. Thread-safe.
 */
public final class ConfigMask {

  private final Set<String> secrets = new HashSet<>();
  private volatile Redactor redactor = Redactor.none();

  /** Adds the secret values of {@code config}; cheap when none is new. */
  public void add(Map<String, String> config) {
    synchronized (secrets) {
      boolean added = false;
      for (Map.Entry<String, String> var : config.entrySet()) {
        if (SecretNames.looksSecret(var.getKey(), var.getValue())) {
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

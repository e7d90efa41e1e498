package dev.slipway.apps.manifest;

import java.util.Map;
import java.util.Objects;

/**
 * One app.json add-on: {@code heroku-postgresql}, {@code heroku-postgresql:essential-0}, or the
 * object form with an attachment name and provisioning options.
 *
 * @param plan {@code service} or {@code service:plan} exactly as written
 * @param as the attachment name (prefix of its config vars), or null for the service default
 * @param options provider options, never null
 */
public record Addon(String plan, String as, Map<String, Object> options) {
  public Addon {
    Objects.requireNonNull(plan, "plan");
    options = options == null ? Map.of() : ManifestCollections.unmodifiable(options);
  }

  /** The add-on service, the part of {@link #plan()} before {@code ':'}. */
  public String service() {
    int colon = plan.indexOf(':');
    return colon < 0 ? plan : plan.substring(0, colon);
  }

  /** The plan name after {@code ':'}, or null when the service's default plan is meant. */
  public String planName() {
    int colon = plan.indexOf(':');
    return colon < 0 ? null : plan.substring(colon + 1);
  }
}

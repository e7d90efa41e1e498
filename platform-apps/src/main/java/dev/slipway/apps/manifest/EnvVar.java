package dev.slipway.apps.manifest;

/**
 * One app.json {@code env} entry. The string shorthand {@code "KEY": "value"} means a required
 * variable with that default value; in the object form {@code required} defaults to true, as in
 * Heroku's schema.
 *
 * @param value the default value, or null when none is given
 * @param description what the variable is for, or null
 * @param required whether the app needs a value to run
 * @param generator {@code "secret"} to have the platform generate a random value, or null
 */
public record EnvVar(String value, String description, boolean required, String generator) {

  /** The only generator Heroku supports. */
  public static final String SECRET_GENERATOR = "secret";

  /** The shorthand form: a required variable with a default value. */
  public static EnvVar of(String value) {
    return new EnvVar(value, null, true, null);
  }

  public boolean generatesSecret() {
    return SECRET_GENERATOR.equals(generator);
  }

  public boolean hasValue() {
    return value != null;
  }
}

package dev.slipway.apps.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which config var keys and values count as secrets. */
class SecretNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SECRET_KEY_BASE",
        "API_KEY",
        "apiKey",
        "STRIPE_SECRET",
        "DB_PASSWORD",
        "dbPassword",
        "SMTP_PASSWD",
        "GITHUB_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "JWT_PRIVATE_KEY",
        "SENTRY_DSN",
        "DATABASE_URL",
        "HEROKU_POSTGRESQL_RED_DATABASE_URL",
        "REDIS_PASS",
        "session-key"
      })
  void keysNamingSecretsLookSecret(String key) {
    assertTrue(SecretNames.looksSecret(key), key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "MONKEY",
        "KEYBOARD_LAYOUT",
        "PASSENGER_PORT",
        "WEB_CONCURRENCY",
        "PORT",
        "REDIS_URL",
        "NODE_ENV",
        "DATABASE_POOL_SIZE",
        ""
      })
  void ordinaryKeysDoNotLookSecret(String key) {
    assertFalse(SecretNames.looksSecret(key), key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis://:p4ssw0rd@cache.internal:6379",
        "postgres://app:s3cret@db:5432/app",
        "https://x-access-token@github.com/acme/shop.git",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE..."
      })
  void valuesCarryingCredentialsLookSecretUnderAnyKey(String value) {
    assertTrue(SecretNames.looksSecret("REDIS_URL", value), value);
    assertTrue(SecretNames.looksSecret("WHATEVER", value), value);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"redis://cache.internal:6379", "https://example.com/a@b", "me@example.com"})
  void valuesWithoutCredentialsDoNotLookSecret(String value) {
    assertFalse(SecretNames.looksSecret("REDIS_URL", value), value);
  }
}

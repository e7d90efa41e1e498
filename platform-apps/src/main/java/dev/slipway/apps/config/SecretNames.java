package dev.slipway.apps.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which config vars hold secrets, so their values are redacted in listings and logs.
 *
 * <p>Rules, case-insensitive, on the key:
 *
 * <ul>
 *   <li>contains {@code SECRET}, {@code PASSWORD}, {@code PASSWD}, {@code TOKEN} or {@code
 *       CREDENTIAL} anywhere ({@code GITHUB_TOKEN}, {@code DBPASSWORD});
 *   <li>has a word segment {@code KEY}, {@code KEYS}, {@code APIKEY}, {@code PRIVATE}, {@code
 *       PASS}, {@code PWD}, {@code SALT}, {@code DSN} or {@code CREDENTIALS}; segments are split at
 *       {@code _ - .} and camelCase humps, so {@code API_KEY}, {@code SECRET_KEY_BASE}, {@code
 *       apiKey} are secret while {@code MONKEY}, {@code KEYBOARD_LAYOUT} and {@code PASSENGER_PORT}
 *       are not ({@code PUBLIC_KEY} is: better redacted once too often);
 *   <li>is {@code DATABASE_URL} or ends in {@code _DATABASE_URL}.
 * </ul>
 *
 * <p>With the value, also secret: a URL with user info ({@code redis://:pw@host}, {@code
 * https://token@host}) under any key, and a PEM private key. Names declared secret whatever they
 * look like are handled by {@link #isSecret(String, String, Set)}.
 */
public final class SecretNames {

  private static final String[] SUBSTRINGS = {
    "SECRET", "PASSWORD", "PASSWD", "TOKEN", "CREDENTIAL"
  };

  private static final Set<String> SEGMENTS =
      Set.of("KEY", "KEYS", "APIKEY", "PRIVATE", "PASS", "PWD", "SALT", "DSN", "CREDENTIALS");

  private static final Pattern CAMEL_HUMP = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");
  private static final Pattern SEPARATORS = Pattern.compile("[^A-Za-z0-9]+");
  private static final Pattern URL_WITH_USERINFO =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://([^/?#@\\s]+)@");

  private SecretNames() {}

  /** Whether a config var with this key holds a secret, judged by the key alone. */
  public static boolean looksSecret(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    String upper = key.toUpperCase(Locale.ROOT);
    for (String substring : SUBSTRINGS) {
      if (upper.contains(substring)) {
        return true;
      }
    }
    if (upper.equals("DATABASE_URL") || upper.endsWith("_DATABASE_URL")) {
      return true;
    }
    for (String word : SEPARATORS.split(key)) {
      for (String segment : CAMEL_HUMP.split(word)) {
        if (SEGMENTS.contains(segment.toUpperCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether this config var holds a secret, judged by its key or its value. */
  public static boolean looksSecret(String key, String value) {
    return looksSecret(key) || (value != null && valueLooksSecret(value));
  }

  /**
   * Whether this config var holds a secret: its name is in {@code marked} (the names the platform
   * or the user declared secret, such as a review config var or a {@code generator: secret} value,
   * whatever they are called), or its key or value looks secret.
   */
  public static boolean isSecret(String key, String value, Set<String> marked) {
    return marked.contains(key) || looksSecret(key, value);
  }

  /** A URL carrying credentials, or a PEM private key. */
  public static boolean valueLooksSecret(String value) {
    return userInfo(value) != null || value.contains("PRIVATE KEY-----");
  }

  /** The user info of a URL at the start of {@code value} ({@code user:password}), or null. */
  static String userInfo(String value) {
    Matcher matcher = URL_WITH_USERINFO.matcher(value.strip());
    if (!matcher.lookingAt()) {
      return null;
    }
    return matcher.group(1);
  }

  /** The password part of a URL's user info, or the whole user info if it has no password. */
  static String urlPassword(String value) {
    String userInfo = userInfo(value);
    if (userInfo == null) {
      return null;
    }
    int colon = userInfo.indexOf(':');
    return colon < 0 ? userInfo : userInfo.substring(colon + 1);
  }
}

package dev.slipway.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the payload records, mirroring their JSON Schemas so that a producer
 * fails when it builds a bad payload and a decoder refuses the documents the schema refuses.
 */
public final class PayloadChecks {

  // Git object ids: SHA-1 (40 hex) or SHA-256 (64 hex) repositories.
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private PayloadChecks() {}

  /** A value that must be present. */
  public static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  /** A string that must be present and not blank, such as an id or a name. */
  public static String text(String value, String field) {
    if (present(value, field).isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value;
  }

  /** A git commit id, lowercase hex. */
  public static String sha(String value, String field) {
    if (!SHA.matcher(present(value, field)).matches()) {
      throw new IllegalArgumentException(field + " is not a git commit id: " + value);
    }
    return value;
  }

  /** A content digest ({@code sha256:<hex>}); {@code null} passes when the field is optional. */
  public static String digest(String value, String field, boolean optional) {
    if (value == null && optional) {
      return null;
    }
    if (!DIGEST.matcher(present(value, field)).matches()) {
      throw new IllegalArgumentException(field + " is not a sha256 digest: " + value);
    }
    return value;
  }

  /** A count or number that starts at one; {@code null} passes when the field is optional. */
  public static Integer positive(Integer value, String field, boolean optional) {
    if (value == null && optional) {
      return null;
    }
    if (present(value, field) < 1) {
      throw new IllegalArgumentException(field + " must be at least 1: " + value);
    }
    return value;
  }

  /** An immutable copy of a required list; null elements are refused. */
  public static <T> List<T> list(List<T> value, String field) {
    try {
      return List.copyOf(present(value, field));
    } catch (NullPointerException e) {
      throw new IllegalArgumentException(field + " must not contain null", e);
    }
  }

  /**
   * A repository URL without credentials in it: payloads are published to every consumer, so a
   * clone URL with a token in its user-info would leak the token.
   */
  public static String noCredentials(String value, String field) {
    text(value, field);
    try {
      URI uri = new URI(value);
      String userInfo = uri.getRawUserInfo();
      // ssh://git@host names a login, not a secret; a password or an HTTP user-info is one.
      if (userInfo != null && (!"ssh".equals(uri.getScheme()) || userInfo.contains(":"))) {
        throw new IllegalArgumentException(field + " must not carry credentials");
      }
    } catch (URISyntaxException e) {
      // scp-like git addresses (git@host:owner/repo.git) are not URIs and carry no secret.
    }
    return value;
  }
}

package dev.slipway.build.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Verifies that a delivery was sent by someone holding the pipeline's webhook secret. */
public final class WebhookSignatures {

  private WebhookSignatures() {}

  /**
   * GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}, compared in
   * constant time.
   */
  public static boolean gitHubSignatureMatches(String header, byte[] body, String secret) {
    if (header == null || secret == null || !header.startsWith("sha256=")) {
      return false;
    }
    byte[] expected = hmacSha256(secret, body);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring("sha256=".length()).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, given);
  }

  /** GitLab's {@code X-Gitlab-Token}: the secret itself, compared in constant time. */
  public static boolean gitLabTokenMatches(String header, String secret) {
    if (header == null || secret == null) {
      return false;
    }
    return MessageDigest.isEqual(
        header.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
  }

  /** The header value GitHub would send for {@code body} signed with {@code secret}. */
  public static String gitHubSignature(byte[] body, String secret) {
    return "sha256=" + HexFormat.of().formatHex(hmacSha256(secret, body));
  }

  private static byte[] hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}

package dev.slipway.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a secret for travel in an event and opens it again: AES-256-GCM under the platform key,
 * bound to the pipeline and field it belongs to (associated data), so a sealed value copied into
 * another pipeline's event or field does not open (ADR 0008).
 */
public final class SecretBox {

  private static final String PREFIX = "v1.";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * A box for a base64-encoded 32-byte key.
   *
   * @throws IllegalArgumentException naming the problem (never the key)
   */
  public static SecretBox fromBase64Key(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException("slipway.secrets.key is not set");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("slipway.secrets.key is not valid base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "slipway.secrets.key must be 32 bytes (base64), got " + raw.length);
    }
    return new SecretBox(raw);
  }

  /** A fresh random key, base64-encoded, for `slipway up` and tests. */
  public static String generateKey() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** Seals {@code plaintext} for {@code pipelineId}'s {@code field}; null stays null. */
  public String seal(String plaintext, String pipelineId, String field) {
    if (plaintext == null) {
      return null;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(pipelineId, field));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /**
   * Opens a value sealed by {@link #seal}; null stays null.
   *
   * @throws InvalidEventException when it was sealed under another key, pipeline or field, or was
   *     tampered with
   */
  public String open(String sealed, String pipelineId, String field) {
    if (sealed == null) {
      return null;
    }
    if (!sealed.startsWith(PREFIX)) {
      throw new InvalidEventException(field + ": not a sealed value");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
      if (in.length <= NONCE_BYTES) {
        throw new InvalidEventException(field + ": sealed value is truncated");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(pipelineId, field));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(field + ": sealed value is not base64");
    } catch (GeneralSecurityException e) {
      throw new InvalidEventException(
          field + ": sealed value does not open with this platform key for this pipeline");
    }
  }

  private static byte[] associatedData(String pipelineId, String field) {
    return ("slipway/" + pipelineId + "/" + field).getBytes(StandardCharsets.UTF_8);
  }
}

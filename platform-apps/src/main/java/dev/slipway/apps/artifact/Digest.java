package dev.slipway.apps.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** The SHA-256 of an artifact's bytes, which is also its identity; printed {@code sha256:<hex>}. */
public record Digest(String hex) {
  public static final String PREFIX = "sha256:";

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public Digest {
    Objects.requireNonNull(hex, "hex");
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a lowercase sha256 hex digest: " + abbreviate(hex));
    }
  }

  /** Accepts exactly {@code sha256:} followed by 64 lowercase hex digits. */
  public static Digest parse(String s) {
    Objects.requireNonNull(s, "digest");
    if (!s.startsWith(PREFIX)) {
      throw new IllegalArgumentException("digest must start with sha256: " + abbreviate(s));
    }
    return new Digest(s.substring(PREFIX.length()));
  }

  public static Digest of(byte[] bytes) {
    return new Digest(HexFormat.of().formatHex(sha256().digest(bytes)));
  }

  public static Digest of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    }
  }

  /** Reads the stream to its end; does not close it. */
  public static Digest of(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      sha.update(buffer, 0, n);
    }
    return fromBytes(sha.digest());
  }

  static Digest fromBytes(byte[] sha256) {
    return new Digest(HexFormat.of().formatHex(sha256));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** Untrusted input goes into messages, so keep it short. */
  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  @Override
  public String toString() {
    return PREFIX + hex;
  }
}

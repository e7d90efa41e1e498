package dev.slipway.apps.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SHA-256 digests and their sha256: text form. */
class DigestTest {
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void hashesBytesWithSha256() {
    assertEquals(ABC, Digest.of("abc".getBytes(StandardCharsets.US_ASCII)).hex());
  }

  @Test
  void hashesFilesLikeTheirBytes(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "abc");

    assertEquals(new Digest(ABC), Digest.of(file));
  }

  @Test
  void printsAndParsesWithTheSha256Prefix() {
    Digest digest = Digest.parse("sha256:" + ABC);

    assertEquals(ABC, digest.hex());
    assertEquals("sha256:" + ABC, digest.toString());
  }

  @Test
  void parseRefusesAnythingButLowercaseSha256() {
    assertThrows(IllegalArgumentException.class, () -> Digest.parse(ABC));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha512:" + ABC));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + ABC.toUpperCase()));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + ABC + "0"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:../../etc/passwd"));
  }
}

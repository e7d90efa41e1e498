package dev.slipway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private final SecretBox box = SecretBox.fromBase64Key(SecretBox.generateKey());

  @Test
  void sealedValueOpensForItsPipelineAndFieldAndHidesThePlaintext() {
    String sealed = box.seal("hunter2-webhook-secret", "p1", "webhook_secret");

    assertTrue(sealed.startsWith("v1."));
    assertFalse(sealed.contains("hunter2"));
    assertEquals("hunter2-webhook-secret", box.open(sealed, "p1", "webhook_secret"));
  }

  @Test
  void sealedValueCopiedToAnotherPipelineOrFieldDoesNotOpen() {
    String sealed = box.seal("s3cret-value", "p1", "webhook_secret");

    assertThrows(InvalidEventException.class, () -> box.open(sealed, "p2", "webhook_secret"));
    assertThrows(InvalidEventException.class, () -> box.open(sealed, "p1", "forge_token"));
  }

  @Test
  void valueSealedUnderAnotherKeyOrTamperedWithDoesNotOpen() {
    String sealed = SecretBox.fromBase64Key(SecretBox.generateKey()).seal("x-secret", "p", "f");
    String own = box.seal("x-secret", "p", "f");
    String tampered = own.substring(0, own.length() - 3) + (own.endsWith("A==") ? "B==" : "A==");

    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> box.open(sealed, "p", "f"));
    assertTrue(e.getMessage().startsWith("f: "));
    assertThrows(InvalidEventException.class, () -> box.open(tampered, "p", "f"));
  }

  @Test
  void nullStaysNull() {
    assertNull(box.seal(null, "p", "f"));
    assertNull(box.open(null, "p", "f"));
  }

  @Test
  void badKeysAreRefusedWithoutEchoingThem() {
    IllegalArgumentException shortKey =
        assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64Key("c2hvcnQ="));
    assertTrue(shortKey.getMessage().contains("32 bytes"));
    assertFalse(shortKey.getMessage().contains("c2hvcnQ="));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64Key(""));
  }
}

package dev.slipway.apps.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An app log's mask: the secret values of every release it was given, and nothing else. */
class ConfigMaskTest {

  @Test
  void masksSecretValuesTheApiRedactsAndLeavesPlainOnesReadable() {
    ConfigMask mask = new ConfigMask();
    mask.add(Map.of("API_KEY", "key-5f4e3d2c1b", "REGION", "eu-west-1"));

    assertEquals("key [REDACTED] in eu-west-1", mask.redact("key key-5f4e3d2c1b in eu-west-1"));
  }

  @Test
  void aRotatedSecretStaysMaskedAfterTheNextRelease() {
    ConfigMask mask = new ConfigMask();
    mask.add(Map.of("DB_PASSWORD", "old-pass-1234"));
    mask.add(Map.of("DB_PASSWORD", "new-pass-5678"));

    assertEquals(
        "old [REDACTED] new [REDACTED]", mask.redact("old old-pass-1234 new new-pass-5678"));
  }

  @Test
  void aMaskWithNoSecretsChangesNothing() {
    ConfigMask mask = new ConfigMask();
    mask.add(Map.of("GREETING", "hello world"));

    assertEquals("hello world", mask.redact("hello world"));
  }

  @Test
  void aVarDeclaredSecretIsMaskedWhateverItsNameLooksLike() {
    ConfigMask mask = new ConfigMask();
    mask.add(
        Map.of("PARTNER_ACCOUNT", "acct-7c6b5a49", "REGION", "eu-west-1"),
        Set.of("PARTNER_ACCOUNT"));

    assertEquals("acct [REDACTED] in eu-west-1", mask.redact("acct acct-7c6b5a49 in eu-west-1"));
  }
}

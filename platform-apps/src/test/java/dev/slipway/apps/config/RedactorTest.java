package dev.slipway.apps.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secret values replaced in log lines. */
class RedactorTest {

  @Test
  void replacesEveryOccurrenceOfEachSecret() {
    Redactor redactor = Redactor.of(List.of("hunter22", "t0k3n-abc"));

    assertEquals(
        "login [REDACTED] then [REDACTED] and [REDACTED] again",
        redactor.redact("login hunter22 then t0k3n-abc and hunter22 again"));
  }

  @Test
  void longerSecretsWinOverSecretsTheyContain() {
    Redactor redactor = Redactor.of(List.of("abcd", "abcdefgh"));

    assertEquals("x [REDACTED] y", redactor.redact("x abcdefgh y"));
  }

  @Test
  void markIsNotShreddedBySecretsThatOccurInIt() {
    Redactor redactor = Redactor.of(List.of("abcdefgh", "DACT"));

    assertEquals("[REDACTED]", redactor.redact("abcdefgh"));
  }

  @Test
  void ignoresValuesShorterThanFourChars() {
    Redactor redactor = Redactor.of(List.of("on", "1", "abc"));

    assertEquals("on 1 abc", redactor.redact("on 1 abc"));
  }

  @Test
  void redactsThePasswordOfACredentialUrlOnItsOwn() {
    Redactor redactor = Redactor.of(List.of("postgres://app:s3cretpw@db:5432/app"));

    assertEquals(
        "connecting to [REDACTED]; auth with [REDACTED]",
        redactor.redact("connecting to postgres://app:s3cretpw@db:5432/app; auth with s3cretpw"));
  }

  @Test
  void redactsUrlEncodedForms() {
    Redactor redactor = Redactor.of(List.of("p@ss/w0rd"));

    assertEquals("u=[REDACTED]", redactor.redact("u=p%40ss%2Fw0rd"));
  }

  @Test
  void treatsRegexCharactersLiterally() {
    Redactor redactor = Redactor.of(List.of("a.b*c$1\\E"));

    assertEquals("x [REDACTED] axbbc", redactor.redact("x a.b*c$1\\E axbbc"));
  }

  @Test
  void forConfigRedactsOnlySecretLookingVars() {
    Redactor redactor =
        Redactor.forConfig(
            Map.of(
                "API_KEY", "k-123456", "WEB_CONCURRENCY", "5000", "REDIS_URL", "redis://:pw12@r"));

    assertEquals("[REDACTED] 5000 [REDACTED]", redactor.redact("k-123456 5000 redis://:pw12@r"));
  }

  @Test
  void noneLeavesLinesAlone() {
    assertEquals("hunter22", Redactor.none().redact("hunter22"));
    assertNull(Redactor.of(List.of("hunter22")).redact(null));
    assertSame(Redactor.none(), Redactor.of(List.of()));
  }
}

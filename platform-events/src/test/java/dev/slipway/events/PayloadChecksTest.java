package dev.slipway.events;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.change.ChangePushed;
import dev.slipway.events.promotion.PromotionRequested;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Payload records refuse to be built in a shape their schema would reject. */
class PayloadChecksTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/shop.git",
        "https://glpat-abcdef@gitlab.com/acme/shop.git",
        "ssh://git:hunter2@example.com/acme/shop.git"
      })
  void repositoryUrlsWithCredentialsAreRefusedWithoutEchoingThem(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pushTo(url));
    assertFalse(e.getMessage().contains("@"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://github.com/acme/shop",
        "ssh://git@example.com/acme/shop.git",
        "git@github.com:acme/shop.git"
      })
  void repositoryUrlsWithoutCredentialsAreAccepted(String url) {
    assertDoesNotThrow(() -> pushTo(url));
  }

  @Test
  void blankIdsAndBadShasAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new BuildQueued(" ", "b", Samples.SHA, "main", null, false, Samples.AT));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BuildQueued("p", "b", "HEAD", "main", null, false, Samples.AT));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BuildQueued("p", "b", Samples.SHA, "main", 0, false, Samples.AT));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BuildQueued("p", null, Samples.SHA, "main", null, false, Samples.AT));
    assertEquals("buildId is required", e.getMessage());
  }

  @Test
  void aPromotionNeedsAtLeastOneTarget() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PromotionRequested("p", "pr", "staging", "r", Samples.ARTIFACT, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PromotionRequested("p", "pr", "staging", "r", "latest", List.of("shop")));
  }

  private static ChangePushed pushTo(String url) {
    return new ChangePushed(
        "p", url, "refs/heads/main", "main", Samples.PARENT_SHA, Samples.SHA, "u", "d", false);
  }
}

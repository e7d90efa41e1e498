package dev.slipway.platform.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which claimed work a sweep may error: only work nobody will finish, never work of a live other
 * replica or of this incarnation.
 */
class AbandonmentTest {

  private static final Instant NOW = Instant.parse("2026-12-07T21:00:00Z");
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final UUID SELF = UUID.randomUUID();
  private static final UUID PREVIOUS_SELF = UUID.randomUUID();
  private static final UUID OTHER_FRESH = UUID.randomUUID();
  private static final UUID OTHER_AT_BOUND = UUID.randomUUID();
  private static final UUID OTHER_STALE = UUID.randomUUID();
  private static final UUID FORGOTTEN = UUID.randomUUID();

  private static final Abandonment SEEN_BY_A =
      new Abandonment(
          SELF,
          "build-a",
          NOW,
          BOUND,
          Map.of(
              SELF, new OwnerRecord(SELF, "build-a", NOW),
              PREVIOUS_SELF, new OwnerRecord(PREVIOUS_SELF, "build-a", NOW.minusSeconds(2)),
              OTHER_FRESH, new OwnerRecord(OTHER_FRESH, "build-b", NOW.minusSeconds(5)),
              OTHER_AT_BOUND, new OwnerRecord(OTHER_AT_BOUND, "build-c", NOW.minus(BOUND)),
              OTHER_STALE, new OwnerRecord(OTHER_STALE, "build-d", NOW.minusSeconds(61))));

  /** owner of the work → abandoned?, and why. */
  private static final Object[][] TABLE = {
    {SELF, false, "this incarnation runs it"},
    {OTHER_FRESH, false, "another replica beat 5 s ago"},
    {OTHER_AT_BOUND, false, "a heartbeat exactly at the bound is still alive"},
    {OTHER_STALE, true, "another replica's last beat is past the bound"},
    {PREVIOUS_SELF, true, "a previous incarnation of this replica, however fresh its beat"},
    {FORGOTTEN, true, "an owner whose row was removed once stale"},
    {null, true, "claimed before ownership was recorded (an older version)"},
  };

  @Test
  void workIsAbandonedOnlyWhenItsOwnerIsGone() {
    for (Object[] row : TABLE) {
      assertEquals(row[1], SEEN_BY_A.abandoned((UUID) row[0]), (String) row[2]);
    }
  }

  @Test
  void aLiveReplicasWorkIsNotAbandonedWhicheverReplicaSweeps() {
    // Replica b restarted as a new incarnation: it sweeps too, and leaves a's work alone.
    UUID bNow = UUID.randomUUID();
    Abandonment seenByB =
        new Abandonment(
            bNow,
            "build-b",
            NOW,
            BOUND,
            Map.of(
                SELF, new OwnerRecord(SELF, "build-a", NOW.minusSeconds(9)),
                OTHER_FRESH, new OwnerRecord(OTHER_FRESH, "build-b", NOW.minusSeconds(9)),
                bNow, new OwnerRecord(bNow, "build-b", NOW)));

    assertEquals(false, seenByB.abandoned(SELF), "a's build survives b's restart");
    assertEquals(true, seenByB.abandoned(OTHER_FRESH), "b's own previous incarnation's does not");
  }
}

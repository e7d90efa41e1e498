package dev.slipway.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAsWideAsTheirWidestCellAndNullsAreEmpty() {
    String out = new Table("NAME", "STATUS").row("shop", null).row("a", "succeeded").render();
    assertEquals("NAME  STATUS\n" + "----  ---------\n" + "shop\n" + "a     succeeded\n", out);
  }

  @Test
  void durationsAndIdsAreShortened() {
    assertEquals("5s", Fields.human(Duration.ofSeconds(5)));
    assertEquals("1m05s", Fields.human(Duration.ofSeconds(65)));
    assertEquals("2h03m", Fields.human(Duration.ofMinutes(123)));
    assertEquals("8f14e45", Fields.sha("8f14e45fceea167a5a36dedd4bea2543a1b2c3d4"));
    assertEquals("1m00s", Fields.duration("2026-03-14T09:00:00Z", "2026-03-14T09:01:00Z"));
  }
}

package dev.slipway.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.promotion.PromotionStatus;
import dev.slipway.events.testrun.TestRunStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CLI reads an answer's status as the platform's enums, whatever else the answer holds. */
class StatusesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aStatusIsItsEnumConstantByWireName() throws Exception {
    assertTrue(Statuses.is(answer("completed"), PromotionStatus.COMPLETED));
    assertFalse(Statuses.is(answer("pending"), PromotionStatus.COMPLETED));
    assertFalse(Statuses.is(JSON.readTree("{}"), PromotionStatus.COMPLETED));
    assertEquals(
        Optional.of(TestRunStatus.CANCELLED),
        Statuses.of(answer("cancelled"), TestRunStatus.class));
  }

  @Test
  void aBuildStillQueuedOrRunningHasNoTerminalStatus() throws Exception {
    for (String live : new String[] {"queued", "running"}) {
      assertEquals(Optional.empty(), Statuses.of(answer(live), BuildStatus.class), live);
    }
    assertTrue(Statuses.of(answer("errored"), BuildStatus.class).orElseThrow().isTerminal());
  }

  private static JsonNode answer(String status) throws Exception {
    return JSON.readTree("{\"id\":\"x\",\"status\":\"" + status + "\"}");
  }
}

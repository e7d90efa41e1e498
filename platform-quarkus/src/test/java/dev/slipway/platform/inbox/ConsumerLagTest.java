package dev.slipway.platform.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsumerLagTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing assigned yet", Map.of(), Map.of(), false),
        Arguments.of(
            "every partition read to its end", Map.of(0, 5L, 1, 0L), Map.of(0, 5L, 1, 0L), true),
        Arguments.of("one partition behind", Map.of(0, 5L, 1, 3L), Map.of(0, 5L, 1, 2L), false),
        Arguments.of("a position not known yet", Map.of(0, 5L), Map.of(), false),
        Arguments.of("records arrived after the end was read", Map.of(0, 5L), Map.of(0, 7L), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caughtUpOnlyWhenEveryAssignedPartitionIsReadToItsEnd(
      String why, Map<Integer, Long> end, Map<Integer, Long> positions, boolean expected) {
    assertEquals(expected, ConsumerLag.caughtUp(end, positions), why);
  }
}

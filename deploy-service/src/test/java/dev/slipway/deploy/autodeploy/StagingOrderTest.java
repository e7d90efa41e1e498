package dev.slipway.deploy.autodeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StagingOrderTest {

  static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  @ParameterizedTest(name = "candidate {0} s, newest deployed {1} s -> {2}")
  @CsvSource({
    // nothing auto-deployed yet: the first green build goes out
    "0, , true",
    // a newer push moves staging forward
    "5, 0, true",
    // a CI re-run of an older commit does not move it back
    "0, 5, false",
    // the same build again (re-run of the deployed commit) is no new release
    "5, 5, false",
  })
  void autoDeployOnlyMovesStagingForward(long candidate, Long deployed, boolean released) {
    assertEquals(
        released,
        StagingOrder.movesForward(
            T.plusSeconds(candidate), Optional.ofNullable(deployed).map(T::plusSeconds)));
  }
}

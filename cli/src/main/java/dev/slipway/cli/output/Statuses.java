package dev.slipway.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the {@code status} of an API answer as the platform's status enums (their wire names are
 * the lower-case constant names), so the CLI compares statuses, never raw strings.
 */
public final class Statuses {

  private Statuses() {}

  /** Whether {@code answer}'s status is {@code expected}. */
  public static boolean is(JsonNode answer, Enum<?> expected) {
    return expected.name().toLowerCase(Locale.ROOT).equals(Fields.text(answer, "status"));
  }

  /** {@code answer}'s status as a {@code type} constant; empty for one {@code type} lacks. */
  public static <E extends Enum<E>> Optional<E> of(JsonNode answer, Class<E> type) {
    String status = Fields.text(answer, "status");
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(Locale.ROOT).equals(status)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }
}

package dev.slipway.kubernetes.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Status conditions as Slipway's operators write them ({@code Ready}, {@code Reconciling}, {@code
 * Stalled}): one reason and message for the verdict, the generation it saw, and a transition time
 * that only moves when a condition's status flips.
 */
public final class Conditions {

  /** Longer messages are cut: the status must stay well under an object's size limit. */
  public static final int MAX_MESSAGE = 1024;

  private Conditions() {}

  /**
   * The conditions to write: one per entry of {@code statuses} (type → true/false), keeping each
   * previous condition's {@code lastTransitionTime} when its status did not change.
   */
  public static List<Condition> next(
      List<Condition> previous,
      Map<String, Boolean> statuses,
      String reason,
      String message,
      Long observedGeneration) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> out = new ArrayList<>();
    for (Map.Entry<String, Boolean> entry : statuses.entrySet()) {
      String status = entry.getValue() ? "True" : "False";
      Condition before = find(previous, entry.getKey());
      String since =
          before != null && status.equals(before.getStatus())
              ? before.getLastTransitionTime()
              : now;
      out.add(
          new ConditionBuilder()
              .withType(entry.getKey())
              .withStatus(status)
              .withReason(reason)
              .withMessage(truncate(message))
              .withObservedGeneration(observedGeneration)
              .withLastTransitionTime(since)
              .build());
    }
    return out;
  }

  /** Whether two lists say the same, transition times aside (so a resync writes nothing). */
  public static boolean same(List<Condition> a, List<Condition> b) {
    if (a == null || b == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Condition x = a.get(i);
      Condition y = b.get(i);
      if (!Objects.equals(x.getType(), y.getType())
          || !Objects.equals(x.getStatus(), y.getStatus())
          || !Objects.equals(x.getReason(), y.getReason())
          || !Objects.equals(x.getMessage(), y.getMessage())
          || !Objects.equals(x.getObservedGeneration(), y.getObservedGeneration())) {
        return false;
      }
    }
    return true;
  }

  private static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static String truncate(String message) {
    String m = Objects.toString(message, "");
    return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
  }
}

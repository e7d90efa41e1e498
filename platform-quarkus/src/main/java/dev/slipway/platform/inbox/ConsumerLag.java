package dev.slipway.platform.inbox;

import java.util.Map;

/** Whether a consumer has read everything there was in the partitions it was assigned. */
public final class ConsumerLag {

  private ConsumerLag() {}

  /**
   * True when the consumer holds partitions and its position in each is at (or past) the end offset
   * read at the same time; a consumer that has not been assigned anything yet has not caught up.
   */
  public static <P> boolean caughtUp(Map<P, Long> endOffsets, Map<P, Long> positions) {
    if (endOffsets.isEmpty()) {
      return false;
    }
    for (Map.Entry<P, Long> end : endOffsets.entrySet()) {
      Long position = positions.get(end.getKey());
      if (position == null || position < end.getValue()) {
        return false;
      }
    }
    return true;
  }
}

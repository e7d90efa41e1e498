package dev.slipway.events;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** The Kafka topics Slipway's events travel on, and the naming of per-group dead-letter topics. */
public enum Topic {
  /** Compacted so that a service can rebuild its pipeline projection from the latest records. */
  PIPELINES("slipway.pipelines", true),
  CHANGES("slipway.changes"),
  BUILDS("slipway.builds"),
  TEST_RUNS("slipway.testruns"),
  RELEASES("slipway.releases"),
  ENVIRONMENTS("slipway.environments"),
  PROMOTIONS("slipway.promotions");

  /** Prefix of every dead-letter topic; the consumer group name follows it. */
  public static final String DEAD_LETTER_PREFIX = "slipway.dlq.";

  // Kafka allows 249 characters in a topic name; the prefix takes the rest.
  private static final int MAX_GROUP_LENGTH = 249 - DEAD_LETTER_PREFIX.length();
  private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9.-]*");

  private final String topicName;
  private final boolean compacted;

  Topic(String topicName) {
    this(topicName, false);
  }

  Topic(String topicName, boolean compacted) {
    this.topicName = topicName;
    this.compacted = compacted;
  }

  public String topicName() {
    return topicName;
  }

  /** Whether the topic uses {@code cleanup.policy=compact} rather than time-based retention. */
  public boolean compacted() {
    return compacted;
  }

  /** The topic with this Kafka name, if it is one of Slipway's event topics. */
  public static Optional<Topic> fromTopicName(String topicName) {
    return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
  }

  /**
   * The dead-letter topic of a consumer group: {@code slipway.dlq.<group>}.
   *
   * @throws IllegalArgumentException if the group is not lowercase letters, digits, dots and dashes
   */
  public static String deadLetterTopic(String consumerGroup) {
    if (consumerGroup == null
        || consumerGroup.length() > MAX_GROUP_LENGTH
        || !GROUP.matcher(consumerGroup).matches()) {
      throw new IllegalArgumentException(
          "invalid consumer group '"
              + consumerGroup
              + "': use lowercase letters, digits, dots and dashes, at most "
              + MAX_GROUP_LENGTH
              + " characters");
    }
    return DEAD_LETTER_PREFIX + consumerGroup;
  }
}
